import { describe, expect, it } from "vitest";
import {
  absentActions,
  assistedActions,
  assistedActionsWithFingerDrag,
  assistedActionsWithHandDrag,
  manualActions,
} from "./actions";
import { dragFinger } from "@/lib/annotate/finger-drag";
import { dragHand } from "@/lib/annotate/hand-drag";

const UNBOUNDED = { width: 1e9, height: 1e9 };
const keypoints = (points: { x: number; y: number }[]) => points.map((p) => ({ ...p, state: "visible" as const }));

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

describe("marking the model's extra joints absent", () => {
  const unlabelled = (joints: number[]) => label.map((p, j) => (joints.includes(j) ? null : p));
  it("costs one Shift+click per joint, and one for a finger's unlabelled end", () => {
    // A pointing hand with the other fingers hidden (as OneHand10K labels it): the thumb, the index MCP, and the
    // middle, ring and little fingers from the PIP on are unlabelled.
    const hidden = unlabelled([1, 2, 3, 4, 5, 10, 11, 12, 14, 15, 16, 18, 19, 20]);
    expect(absentActions(hidden, label)).toBe(5);
    // A run that stops before a labelled tip is cleared joint by joint; the wrist alone is one click.
    expect(absentActions(unlabelled([0, 8, 9, 10, 11, 13, 17]), label)).toBe(7);
    // Joints the model left out cost nothing; a run whose joints the model all left out costs nothing.
    const partial = label.map((p, j) => (j >= 18 ? null : p));
    expect(absentActions(unlabelled([17, 18, 19, 20]), partial)).toBe(1);
    expect(absentActions(unlabelled([18, 19, 20]), partial)).toBe(0);
    const options = { handednessWrong: false, knownHandedness: true, detectShare: 1 };
    expect(assistedActions(hidden, label, options)).toEqual({ manual: 23, assisted: 6, corrected: 14 });
    expect(assistedActionsWithFingerDrag(hidden, label, options).assisted).toBe(6);
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

  it("drags a finger from a joint already within tolerance when the joints after it are not", () => {
    // A short middle phalanx: the model turned the index finger 0.14 rad about its MCP (and stretched it 1 %).
    // The PIP lands within 3 px, the DIP and the tip do not; dragging the DIP about the misplaced PIP would swing
    // the long last phalanx off, so the cheapest fix is one drag of the PIP, which turns the rest with it.
    const label = Array.from({ length: 21 }, (_, j) => ({ x: 10 * j, y: 0 }));
    label[6] = { x: 67, y: 7 };
    label[7] = { x: 73, y: 8 };
    label[8] = { x: 107, y: 7 };
    const mcp = label[5]!;
    const [turn, scale] = [-0.14, 1.01];
    const predicted = label.map((p, j) =>
      j >= 6 && j <= 8
        ? {
            x: mcp.x + scale * (Math.cos(turn) * (p.x - mcp.x) - Math.sin(turn) * (p.y - mcp.y)),
            y: mcp.y + scale * (Math.sin(turn) * (p.x - mcp.x) + Math.cos(turn) * (p.y - mcp.y)),
          }
        : p,
    );
    const off = (j: number) => Math.hypot(predicted[j]!.x - label[j]!.x, predicted[j]!.y - label[j]!.y);
    expect(off(6)).toBeLessThan(3);
    expect(Math.min(off(7), off(8))).toBeGreaterThan(3);
    const options = { handednessWrong: false, knownHandedness: true, detectShare: 1 };
    expect(assistedActions(label, predicted, options).assisted).toBe(3);
    expect(assistedActionsWithFingerDrag(label, predicted, options).assisted).toBe(2);
  });
});

describe("actions per hand with the hand drag", () => {
  const options = { handednessWrong: false, knownHandedness: true, detectShare: 1 };
  /** An open hand: wrist at (100, 200), five straight fingers fanned upwards. */
  const open = [{ x: 100, y: 200 }];
  for (let f = 0; f < 5; f++) for (let k = 0; k < 4; k++) open.push({ x: 60 + 20 * f, y: 150 - 20 * k });

  it("fixes a shifted, turned hand with two hand drags instead of a drag per joint", () => {
    const turn = 0.1;
    const predicted = open.map((p) => {
      const dx = p.x - 100;
      const dy = p.y - 200;
      return { x: 108 + Math.cos(turn) * dx - Math.sin(turn) * dy, y: 195 + Math.sin(turn) * dx + Math.cos(turn) * dy };
    });
    // The box, the wrist drag (moves the hand), one turn: 3.
    expect(assistedActionsWithHandDrag(open, predicted, options).assisted).toBe(3);
    expect(assistedActionsWithFingerDrag(open, predicted, options).assisted).toBeGreaterThan(3);
    // Shifted only: the box and the wrist drag.
    const shifted = open.map((p) => ({ x: p.x + 7, y: p.y - 6 }));
    expect(assistedActionsWithHandDrag(open, shifted, options).assisted).toBe(2);
  });

  it("moves the knuckle row in one drag when only the bases are off", () => {
    const predicted = open.map((p, j) => ([5, 9, 13, 17].includes(j) ? { x: p.x, y: p.y + 8 } : p));
    expect(assistedActionsWithHandDrag(open, predicted, options).assisted).toBe(2);
    expect(assistedActionsWithHandDrag(open, predicted, options, ["move", "turn"]).assisted).toBe(5);
    // Never worse than without it, and a missed hand still costs the manual price.
    expect(assistedActionsWithHandDrag(open, open, options).assisted).toBe(1);
    expect(assistedActionsWithHandDrag(open, null, options).assisted).toBe(24);
  });

  it("turns a finger about the wrist where the annotator dragged it", () => {
    // The model put the wrist 15 px left and turned the index finger 0.3 rad about the true wrist: the wrist drag,
    // then one finger drag of the index base (about the wrist just placed) — the box and 2 drags (turning it about
    // the model's wrist, as the simulated annotator did before, left its tip off: 3 drags).
    const wrist = open[0]!;
    const turned = open.map((p, j) => {
      if (j === 0) return { x: wrist.x - 15, y: wrist.y };
      if (j < 5 || j > 8) return p;
      const [dx, dy, c, s] = [p.x - wrist.x, p.y - wrist.y, Math.cos(0.3), Math.sin(0.3)];
      return { x: wrist.x + c * dx - s * dy, y: wrist.y + s * dx + c * dy };
    });
    expect(assistedActionsWithFingerDrag(open, turned, options).assisted).toBe(3);
  });

  it("sets a finger right before sliding the knuckle row when that finger gives the slide its direction", () => {
    // The model slid the knuckle row 8 px towards the tips and bent the index finger sideways at its base (its PIP
    // 6 px to the side). Sliding the row first moves the index base along that bent finger, off its label; one
    // finger drag of the index PIP and then one knuckle drag fix the hand: the box and 2 drags (3 in the fixed
    // order move, turn, knuckles that the simulated annotator used before).
    const slid = dragHand(keypoints(open), 9, { x: 100, y: 142 }, UNBOUNDED);
    const bent = dragFinger(slid, 6, { x: slid[6]!.x + 6, y: slid[6]!.y }, UNBOUNDED);
    const predicted = bent.map(({ x, y }) => ({ x, y }));
    expect(assistedActionsWithHandDrag(open, predicted, options).assisted).toBe(3);
    expect(assistedActionsWithFingerDrag(open, predicted, options).assisted).toBeGreaterThan(3);
  });
});
