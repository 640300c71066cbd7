import { describe, expect, it } from "vitest";
import { needsReview } from "./sampling";

describe("needsReview", () => {
  it("always reviews flagged work and everything at rate 1", () => {
    expect(needsReview({ sampleRate: 0, flagged: true })).toBe(true);
    expect(needsReview({ sampleRate: 1, flagged: false, random: () => 0.999 })).toBe(true);
  });
  it("samples the rest at the project's rate", () => {
    expect(needsReview({ sampleRate: 0.25, flagged: false, random: () => 0.2 })).toBe(true);
    expect(needsReview({ sampleRate: 0.25, flagged: false, random: () => 0.3 })).toBe(false);
    let seed = 1;
    const random = () => (seed = (seed * 16807) % 2147483647) / 2147483647;
    const reviewed = Array.from({ length: 10_000 }, () =>
      needsReview({ sampleRate: 0.3, flagged: false, random }),
    ).filter(Boolean).length;
    expect(reviewed / 10_000).toBeGreaterThan(0.28);
    expect(reviewed / 10_000).toBeLessThan(0.32);
  });
});
