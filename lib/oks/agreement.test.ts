import { describe, expect, it } from "vitest";
import { templateHand } from "@/lib/qc/synthetic-hands";
import { labellingAgreement } from "./agreement";

describe("labellingAgreement", () => {
  const left = templateHand({ wrist: [200, 300], middleMcp: [200, 200] });
  const right = templateHand({ wrist: [600, 300], middleMcp: [600, 200] });
  it("is 1 for identical labellings and for two empty ones", () => {
    expect(labellingAgreement([left], [left])).toBeCloseTo(1, 10);
    expect(labellingAgreement([], [])).toBe(1);
  });
  it("counts a missed hand as 0", () => {
    expect(labellingAgreement([left, right], [left])).toBeCloseTo(0.5, 10);
    expect(labellingAgreement([], [left])).toBe(0);
  });
});
