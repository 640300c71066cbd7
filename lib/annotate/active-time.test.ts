import { describe, expect, it } from "vitest";
import { IDLE_AFTER_MS, hidden, input, startClock, take } from "./active-time";

describe("active time", () => {
  it("counts nothing before the first input, however long the page was open", () => {
    expect(take(startClock(), 120_000).ms).toBe(0);
  });

  it("counts from the first input up to the moment it is taken (a submit right after an edit)", () => {
    let clock = input(startClock(), 10_000);
    clock = input(clock, 14_000);
    const { ms, clock: after } = take(clock, 16_500);
    expect(ms).toBe(6_500);
    // Taking again later counts only what came after, still within the idle window.
    expect(take(after, 20_000).ms).toBe(3_500);
  });

  it("stops counting IDLE_AFTER_MS after the last input, and while the tab is hidden", () => {
    let clock = input(startClock(), 0);
    expect(take(clock, 100_000).ms).toBe(IDLE_AFTER_MS);
    clock = hidden(input(startClock(), 0), 5_000);
    clock = input(clock, 60_000);
    expect(take(clock, 61_000).ms).toBe(6_000);
  });
});
