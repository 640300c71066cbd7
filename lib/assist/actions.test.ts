import { describe, expect, it } from "vitest";
import { assistedActions, manualActions } from "./actions";

const label = Array.from({ length: 21 }, (_, j) => ({ x: 10 * j, y: 0 }));

describe("actions per hand", () => {
  it("costs N + 21 clicks + L/R by hand", () => {
    expect(manualActions(label, true)).toBe(23);
    expect(manualActions([...label.slice(0, 20), null], false)).toBe(22); // 20 clicks + X for the unlabelled tip
  });
  it("with the model: D plus one drag per joint off by more than 3 px", () => {
    const predicted = label.map((p, j) => (j < 5 ? { x: p.x + 4, y: p.y } : { x: p.x + 2, y: p.y }));
    expect(
      assistedActions(label, predicted, { handednessWrong: false, knownHandedness: true, detectShare: 1 }),
    ).toEqual({ manual: 23, assisted: 6, corrected: 5 });
    expect(
      assistedActions(label, predicted, { handednessWrong: true, knownHandedness: true, detectShare: 0.5 }).assisted,
    ).toBe(6.5);
  });
  it("a missed hand costs the manual price plus the detection", () => {
    expect(
      assistedActions(label, null, { handednessWrong: false, knownHandedness: true, detectShare: 1 }).assisted,
    ).toBe(24);
  });
});
