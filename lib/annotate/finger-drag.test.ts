import { describe, expect, it } from "vitest";
import { createEditor, dispatch } from "./editor";
import { dragFinger, fingerChain } from "./finger-drag";

import { flatHand, image } from "./drag-test-fixtures";

describe("finger drag", () => {
  it("names the pivot and the moving joints", () => {
    expect(fingerChain(6)).toEqual({ pivot: 5, chain: [6, 7, 8] });
    expect(fingerChain(5)).toEqual({ pivot: 0, chain: [5, 6, 7, 8] });
    expect(fingerChain(1)).toEqual({ pivot: 0, chain: [1, 2, 3, 4] });
    expect(fingerChain(0)).toBeNull();
  });

  it("turns the distal chain about its parent joint: a quarter turn keeps lengths, other fingers stay", () => {
    const before = flatHand();
    // Index PIP (6) at (80, 240) about the MCP (5) at (80, 260): drag it to (100, 260), a quarter turn right.
    const after = dragFinger(before, 6, { x: 100, y: 260 }, image);
    expect(after[6]).toMatchObject({ x: 100, y: 260 });
    expect(after[7]!.x).toBeCloseTo(120, 9);
    expect(after[7]!.y).toBeCloseTo(260, 9);
    expect(after[8]!.x).toBeCloseTo(140, 9);
    expect(after[5]).toEqual(before[5]);
    expect(after.slice(9)).toEqual(before.slice(9));
  });

  it("scales the chain with the drag, keeps absent joints absent, and clamps to the image", () => {
    const before = flatHand();
    before[7] = { x: 0, y: 0, state: "absent" };
    // Twice as far from the MCP along the same line.
    const after = dragFinger(before, 6, { x: 80, y: 220 }, image);
    expect(after[8]).toMatchObject({ x: 80, y: 140 });
    expect(after[7]).toEqual({ x: 0, y: 0, state: "absent" });
    const clamped = dragFinger(flatHand(), 10, { x: 100, y: -100 }, image);
    expect(clamped[12]!.y).toBe(0);
  });

  it("moves the joint alone when its pivot is not placed", () => {
    const before = flatHand();
    before[5] = { x: 0, y: 0, state: "absent" };
    const after = dragFinger(before, 6, { x: 10, y: 10 }, image);
    expect(after[6]).toMatchObject({ x: 10, y: 10 });
    expect(after[7]).toEqual(before[7]);
  });

  it("is one undo step in the editor, computed from the hand as the drag began", () => {
    const hand = {
      handedness: "right" as const,
      keypoints: flatHand(),
      bbox: null,
      bboxEdited: false,
      gesture: null,
      view: null,
      interaction: "none" as const,
      truncated: false,
      skinTone: null,
      attributes: {},
    };
    let state = createEditor(image, { hands: [hand], noHands: false, imageFlags: [] });
    state = dispatch(state, { type: "beginDrag", hand: 0, joint: 6, mode: "finger" });
    state = dispatch(state, { type: "dragTo", x: 90, y: 250 });
    state = dispatch(state, { type: "dragTo", x: 100, y: 260 });
    state = dispatch(state, { type: "endDrag" });
    expect(state.doc.hands[0]!.keypoints[8]!.x).toBeCloseTo(140, 9);
    expect(state.dragMode).toBe("joint");
    state = dispatch(state, { type: "undo" });
    expect(state.doc.hands[0]!.keypoints).toEqual(flatHand());
  });

  it("Tab follows a given order (likely-wrong joints first)", () => {
    const hand = {
      handedness: "right" as const,
      keypoints: flatHand(),
      bbox: null,
      bboxEdited: false,
      gesture: null,
      view: null,
      interaction: "none" as const,
      truncated: false,
      skinTone: null,
      attributes: {},
    };
    const order = [8, 4, ...Array.from({ length: 21 }, (_, j) => j).filter((j) => j !== 8 && j !== 4)];
    let state = createEditor(image, { hands: [hand], noHands: false, imageFlags: [] });
    state = dispatch(state, { type: "cycleJoint", step: 1, order });
    expect(state.selection.joint).toBe(8);
    state = dispatch(state, { type: "cycleJoint", step: 1, order });
    expect(state.selection.joint).toBe(4);
    state = dispatch(state, { type: "cycleJoint", step: 1, order });
    expect(state.selection.joint).toBe(0);
  });
});
