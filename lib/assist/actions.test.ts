import { describe, expect, it } from "vitest";
import { assistedActions, assistedActionsWithFingerDrag, manualActions } from "./actions";

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

describe("actions per hand with the finger drag", () => {
  it("fixes a finger bent the wrong way with one drag instead of three", () => {
    // A straight hand along x; the model bent the index finger 30° about its MCP (joint 5).
    const straight = Array.from({ length: 21 }, (_, j) => ({ x: 10 * j, y: 5 * (j % 4) }));
    const mcp = straight[5]!;
    const turn = Math.PI / 6;
    const predicted = straight.map((p, j) =>
      j >= 6 && j <= 8
        ? {
            x: mcp.x + Math.cos(turn) * (p.x - mcp.x) - Math.sin(turn) * (p.y - mcp.y),
            y: mcp.y + Math.sin(turn) * (p.x - mcp.x) + Math.cos(turn) * (p.y - mcp.y),
          }
        : p,
    );
    const options = { handednessWrong: false, knownHandedness: true, detectShare: 1 };
    expect(assistedActions(straight, predicted, options).assisted).toBe(4);
    expect(assistedActionsWithFingerDrag(straight, predicted, options).assisted).toBe(2);
    // Never worse than single drags, and a missed hand still costs the manual price.
    expect(assistedActionsWithFingerDrag(straight, straight, options).assisted).toBe(1);
    expect(assistedActionsWithFingerDrag(straight, null, options).assisted).toBe(24);
  });
});
