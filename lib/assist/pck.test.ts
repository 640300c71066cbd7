import { describe, expect, it } from "vitest";
import { boxSize, handPck, imagePck } from "./pck";

const label = [{ x: 0, y: 0 }, { x: 100, y: 0 }, { x: 100, y: 50 }, null];

describe("PCK", () => {
  it("uses the larger side of the labelled joints' box", () => {
    expect(boxSize(label)).toBe(100);
    expect(boxSize([{ x: 1, y: 1 }, null])).toBe(0);
  });
  it("counts labelled joints within alpha × box size", () => {
    // threshold 20 px: 10 px off is correct, 30 px off is not, the unlabelled joint does not count.
    const result = handPck(label, [
      { x: 10, y: 0 },
      { x: 130, y: 0 },
      { x: 100, y: 50 },
      { x: 999, y: 999 },
    ]);
    expect(result).toMatchObject({ correct: 2, labelled: 3, boxSize: 100 });
    expect(result.pck).toBeCloseTo(2 / 3);
    expect(result.meanErrorPx).toBeCloseTo(40 / 3);
  });
  it("scores a missing prediction or an absent joint as wrong", () => {
    expect(handPck(label, null).pck).toBe(0);
    expect(handPck(label, [null, { x: 100, y: 0 }, null, null]).pck).toBeCloseTo(1 / 3);
  });
  it("matches each labelled hand to its best detection once", () => {
    const other = label.map((p) => (p ? { x: p.x + 500, y: p.y } : null));
    const results = imagePck([label, other], [other, label]);
    expect(results.map((r) => [r.matched, r.pck])).toEqual([
      [1, 1],
      [0, 1],
    ]);
    const missed = imagePck([label, other], [label]);
    expect(missed.map((r) => [r.matched, r.pck])).toEqual([
      [0, 1],
      [null, 0],
    ]);
  });
});
