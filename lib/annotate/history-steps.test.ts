import { describe, expect, it } from "vitest";
import { createEditor, dispatch as reduce } from "./editor";
import { historySteps } from "./history-steps";

describe("historySteps: the undo history in words", () => {
  it("names each step and keeps undone steps for redo", () => {
    let state = createEditor({ width: 640, height: 480 }, { hands: [], noHands: false, imageFlags: [] });
    state = reduce(state, { type: "newHand" });
    state = reduce(state, { type: "canvasClick", x: 100, y: 200 });
    state = reduce(state, { type: "canvasClick", x: 120, y: 180 });
    const before = historySteps(state.history, state.doc);
    expect(before.done).toEqual(["Added hand 1", "Placed wrist, hand 1", "Placed thumb_cmc, hand 1"]);
    expect(before.undone).toEqual([]);
    state = reduce(state, { type: "undo" });
    const after = historySteps(state.history, state.doc);
    expect(after.done).toEqual(["Added hand 1", "Placed wrist, hand 1"]);
    expect(after.undone).toEqual(["Placed thumb_cmc, hand 1"]);
  });
});
