import { describe, expect, it } from "vitest";
import { assignSplits, splitCounts, type Split } from "./splits";

const ids = (n: number) => Array.from({ length: n }, (_, i) => `subject-${String(i).padStart(4, "0")}`);
const tally = (m: Map<string, Split>) => {
  const t = { train: 0, val: 0, test: 0 };
  for (const s of m.values()) t[s]++;
  return t;
};

describe("splitCounts", () => {
  it.each([0, 1, 2, 3, 7, 10, 11, 99, 1000])("sums to n and stays within 1 of the ratio for n = %i", (n) => {
    const c = splitCounts(n);
    expect(c.train + c.val + c.test).toBe(n);
    expect(Math.abs(c.train - 0.8 * n)).toBeLessThan(1);
    expect(Math.abs(c.val - 0.1 * n)).toBeLessThan(1);
    expect(Math.abs(c.test - 0.1 * n)).toBeLessThan(1);
  });

  it("normalises ratios and rejects bad ones", () => {
    expect(splitCounts(10, { train: 8, val: 1, test: 1 })).toEqual({ train: 8, val: 1, test: 1 });
    expect(splitCounts(10, { train: 1, val: 0, test: 0 })).toEqual({ train: 10, val: 0, test: 0 });
    expect(() => splitCounts(10, { train: -1, val: 1, test: 1 })).toThrow(RangeError);
    expect(() => splitCounts(10, { train: 0, val: 0, test: 0 })).toThrow(RangeError);
    expect(() => splitCounts(10, { train: NaN, val: 1, test: 1 })).toThrow(RangeError);
  });
});

describe("assignSplits", () => {
  it("assigns every subject to exactly one split, respecting the ratios", () => {
    const all = ids(250);
    const m = assignSplits(all, { seed: "s1", ratios: { train: 0.7, val: 0.2, test: 0.1 } });
    expect(m.size).toBe(250);
    expect(new Set(m.keys())).toEqual(new Set(all));
    expect(tally(m)).toEqual({ train: 175, val: 50, test: 25 });
  });

  it("is deterministic for a seed and independent of input order and duplicates", () => {
    const all = ids(100);
    const a = assignSplits(all, { seed: 42 });
    const b = assignSplits([...all].reverse().concat(all.slice(0, 10)), { seed: 42 });
    expect([...b.entries()].sort()).toEqual([...a.entries()].sort());
    const c = assignSplits(all, { seed: 43 });
    expect([...c.entries()].sort()).not.toEqual([...a.entries()].sort());
  });

  it("shuffles: the test split is not just the last ids in sort order", () => {
    const m = assignSplits(ids(100), { seed: "x" });
    const testIds = [...m]
      .filter(([, s]) => s === "test")
      .map(([id]) => id)
      .sort();
    expect(testIds).not.toEqual(ids(100).slice(90));
  });

  it("uses 0.8/0.1/0.1 by default and handles empty input", () => {
    expect(assignSplits([]).size).toBe(0);
    expect(tally(assignSplits(ids(10)))).toEqual({ train: 8, val: 1, test: 1 });
  });
});
