import { describe, expect, it } from "vitest";
import { ZHand } from "@/lib/hand/schema";
import { JOINT_COUNT } from "@/lib/hand/skeleton";
import { createEditor, dispatch, type TEditorCommand, type TEditorState } from "./editor";
import { MAX_HISTORY } from "./history";

/** A tiny driver in the spirit of tldraw's TestEditor: run commands, read the state. */
class TestEditor {
  state: TEditorState;
  constructor(width = 1000, height = 800) {
    this.state = createEditor({ width, height }, { hands: [], noHands: false, imageFlags: [] });
  }
  run(...commands: TEditorCommand[]) {
    for (const command of commands) this.state = dispatch(this.state, command);
    return this;
  }
  click(x: number, y: number) {
    return this.run({ type: "canvasClick", x, y });
  }
  get hand() {
    return this.state.doc.hands[this.state.selection.hand ?? 0];
  }
}

const grid = (joint: number) => ({ x: 100 + (joint % 5) * 40, y: 100 + Math.floor(joint / 5) * 40 });

describe("guided placement", () => {
  it("labels a whole hand with N then 21 clicks, each placing the next joint as visible", () => {
    const editor = new TestEditor().run({ type: "newHand" });
    expect(editor.state.placement).toMatchObject({ hand: 0, joint: 0 });
    for (let joint = 0; joint < JOINT_COUNT; joint++) editor.click(grid(joint).x, grid(joint).y);
    expect(editor.hand.keypoints.every((p, j) => p.state === "visible" && p.x === grid(j).x && p.y === grid(j).y)).toBe(
      true,
    );
    expect(editor.state.placement).toBeNull();
    expect(ZHand.safeParse(editor.hand).success).toBe(true);
    expect(editor.hand.bbox).not.toBeNull();
  });

  it("places joints from the keyboard: Enter at the cursor, the arrow keys move it, it follows the last joint", () => {
    const editor = new TestEditor().run({ type: "newHand" });
    expect(editor.state.placement?.cursor).toEqual({ x: 500, y: 400 });
    editor.run({ type: "placeAtCursor" });
    expect(editor.hand.keypoints[0]).toEqual({ x: 500, y: 400, state: "visible" });
    editor.run({ type: "nudge", dx: 0, dy: -10 }, { type: "nudge", dx: 3, dy: 0 });
    expect(editor.hand.keypoints[0]).toEqual({ x: 500, y: 400, state: "visible" }); // arrows move the cursor, not the placed wrist
    editor.run({ type: "placeAtCursor" });
    expect(editor.hand.keypoints[1]).toEqual({ x: 503, y: 390, state: "visible" });
    editor.click(600, 300);
    expect(editor.state.placement?.cursor).toEqual({ x: 600, y: 300 });
    editor.run({ type: "nudge", dx: 10_000, dy: 0 });
    expect(editor.state.placement?.cursor.x).toBeLessThanOrEqual(1000);
  });

  it("places an occluded joint after the occluded key, and skips an absent one", () => {
    const editor = new TestEditor().run({ type: "newHand" });
    editor.click(10, 10).run({ type: "toggleOccludedNext" }).click(20, 20).run({ type: "markAbsent" }).click(40, 40);
    expect(editor.hand.keypoints.slice(0, 4).map((p) => p.state)).toEqual(["visible", "occluded", "absent", "visible"]);
    expect(editor.state.placement?.joint).toBe(4);
  });

  it("ignores clicks outside the image while placing", () => {
    const editor = new TestEditor(100, 100).run({ type: "newHand" }).click(150, 50);
    expect(editor.hand.keypoints[0].state).toBe("absent");
    expect(editor.state.placement?.joint).toBe(0);
  });
});

describe("template", () => {
  it("after the wrist, the template key makes the next click the middle MCP and then fills every other joint", () => {
    const editor = new TestEditor()
      .run({ type: "newHand" })
      .click(500, 700)
      .run({ type: "setHandedness", handedness: "right" }, { type: "applyTemplate" });
    expect(editor.state.placement).toMatchObject({ joint: 9, templateFrom: 1 });
    editor.click(500, 500);
    expect(editor.hand.keypoints.every((p) => p.state === "visible")).toBe(true);
    expect(editor.hand.keypoints[9]).toMatchObject({ x: 500, y: 500 });
    // Fingertips lie beyond the MCPs, away from the wrist; a right palm has its thumb on the image's right.
    expect(editor.hand.keypoints[12].y).toBeLessThan(500);
    expect(editor.hand.keypoints[4].x).toBeGreaterThan(500);
    expect(editor.state.placement).toBeNull();
  });

  it("keeps joints the annotator marked absent before pressing the template key", () => {
    const editor = new TestEditor()
      .run({ type: "newHand" })
      .click(500, 700)
      .click(520, 680)
      .run({ type: "markAbsent" }, { type: "applyTemplate" });
    editor.click(500, 500);
    expect(editor.hand.keypoints.map((p) => p.state).slice(0, 4)).toEqual(["visible", "visible", "absent", "visible"]);
    expect(editor.hand.keypoints.filter((p) => p.state === "visible")).toHaveLength(20);
  });

  it("mirrors the template for a left hand", () => {
    const editor = new TestEditor()
      .run({ type: "newHand" })
      .click(500, 700)
      .run({ type: "markAbsent" }, { type: "setHandedness", handedness: "left" });
    editor.run({ type: "selectJoint", hand: 0, joint: 9 }).run({ type: "applyTemplate" });
    editor.click(500, 500);
    expect(editor.hand.keypoints[4].x).toBeLessThan(500);
  });
});

describe("editing", () => {
  const labelled = () => {
    const editor = new TestEditor().run({ type: "newHand" });
    for (let joint = 0; joint < JOINT_COUNT; joint++) editor.click(grid(joint).x, grid(joint).y);
    return editor;
  };

  it("a drag is one undo step, however many moves it has", () => {
    const editor = labelled().run(
      { type: "beginDrag", hand: 0, joint: 8 },
      { type: "dragTo", x: 300, y: 300 },
      { type: "dragTo", x: 310, y: 305 },
      { type: "endDrag" },
    );
    expect(editor.hand.keypoints[8]).toMatchObject({ x: 310, y: 305 });
    editor.run({ type: "undo" });
    expect(editor.hand.keypoints[8]).toMatchObject(grid(8));
    editor.run({ type: "redo" });
    expect(editor.hand.keypoints[8]).toMatchObject({ x: 310, y: 305 });
  });

  it("nudges the selected joint by 1 or 10 px and keeps it inside the image", () => {
    const editor = labelled().run(
      { type: "selectJoint", hand: 0, joint: 0 },
      { type: "nudge", dx: 1, dy: 0 },
      { type: "nudge", dx: 0, dy: -10 },
    );
    expect(editor.hand.keypoints[0]).toMatchObject({ x: 101, y: 90 });
    editor.run({ type: "nudge", dx: -5000, dy: 0 });
    expect(editor.hand.keypoints[0].x).toBe(0);
  });

  it("changes a joint's state, sets handedness, mirrors and deletes hands, each undoable", () => {
    const editor = labelled().run(
      { type: "selectJoint", hand: 0, joint: 3 },
      { type: "setJointState", state: "occluded" },
    );
    expect(editor.hand.keypoints[3].state).toBe("occluded");
    editor.run({ type: "setJointState", state: "absent" });
    expect(editor.hand.keypoints[3]).toEqual({ x: 0, y: 0, state: "absent" });
    editor.run({ type: "setHandedness", handedness: "left" }, { type: "mirrorHand" });
    expect(editor.hand.handedness).toBe("right");
    expect(editor.hand.keypoints[0].x).toBe(100 + 260 - 100 - 0); // mirrored about the centre of x ∈ [100, 260]
    editor.run({ type: "deleteHand" });
    expect(editor.state.doc.hands).toHaveLength(0);
    editor.run({ type: "undo" }, { type: "undo" }); // the deletion, then the mirroring
    expect(editor.state.doc.hands[0].handedness).toBe("left");
    expect(editor.state.doc.hands[0].keypoints[3].state).toBe("absent");
  });

  it("marks a joint absent in one action, or it and the rest of its finger, as one undo step", () => {
    const editor = labelled().run({ type: "markJointsAbsent", hand: 0, joint: 5, finger: false });
    expect(editor.hand.keypoints.flatMap((p, j) => (p.state === "absent" ? [j] : []))).toEqual([5]);
    editor.run({ type: "markJointsAbsent", hand: 0, joint: 14, finger: true });
    expect(editor.hand.keypoints.flatMap((p, j) => (p.state === "absent" ? [j] : []))).toEqual([5, 14, 15, 16]);
    expect(editor.hand.keypoints[15]).toEqual({ x: 0, y: 0, state: "absent" });
    expect(editor.state.selection).toEqual({ hand: 0, joint: 14 });
    editor.run({ type: "undo" });
    expect(editor.hand.keypoints.flatMap((p, j) => (p.state === "absent" ? [j] : []))).toEqual([5]);
    // Without a hand and joint it acts on the selection; the wrist has no finger, so only it goes.
    editor.run({ type: "selectJoint", hand: 0, joint: 0 }, { type: "markJointsAbsent", finger: true });
    expect(editor.hand.keypoints.flatMap((p, j) => (p.state === "absent" ? [j] : []))).toEqual([0, 5]);
    const revision = editor.state.revision;
    editor.run({ type: "markJointsAbsent", hand: 0, joint: 0, finger: false });
    expect(editor.state.revision).toBe(revision); // already absent: no change, no undo step
  });

  it("the hand drag: the wrist moves the hand, a knuckle the row, another joint turns the hand; one undo step each", () => {
    const editor = labelled();
    const before = editor.hand.keypoints;
    // The wrist (100, 100) dragged by (+30, +20): every joint moves by the same offset.
    editor.run(
      { type: "beginDrag", hand: 0, joint: 0, mode: "hand" },
      { type: "dragTo", x: 120, y: 110 },
      { type: "dragTo", x: 130, y: 120 },
      { type: "endDrag" },
    );
    editor.hand.keypoints.forEach((p, j) => expect(p).toMatchObject({ x: before[j]!.x + 30, y: before[j]!.y + 20 }));
    editor.run({ type: "undo" });
    expect(editor.hand.keypoints).toEqual(before);
    // The index MCP (5) dragged: the four finger bases move (along their fingers, lib/annotate/hand-drag.ts),
    // nothing else. The index and little bases' next joints are both 40 px to their right: they move alike.
    editor.run(
      { type: "beginDrag", hand: 0, joint: 5, mode: "hand" },
      { type: "dragTo", x: grid(5).x - 4, y: grid(5).y + 6 },
      { type: "endDrag" },
    );
    const moved = editor.hand.keypoints.flatMap((p, j) => (p.x !== before[j]!.x || p.y !== before[j]!.y ? [j] : []));
    expect(moved).toEqual([5, 9, 13, 17]);
    expect(editor.hand.keypoints[17]!.x).toBeCloseTo(grid(17).x - 4, 9);
    expect(editor.hand.keypoints[17]!.y).toBeCloseTo(grid(17).y + 6, 9);
    editor.run({ type: "undo" });
    // The middle tip (12, at (180, 180) from the wrist's (100, 100)) dragged a quarter turn about the wrist and
    // half as far: every other joint turns and shrinks the same way; the wrist stays.
    editor.run(
      { type: "beginDrag", hand: 0, joint: 12, mode: "hand" },
      { type: "dragTo", x: 100 - 40, y: 100 + 40 },
      { type: "endDrag" },
    );
    editor.hand.keypoints.forEach((p, j) => {
      const dx = before[j]!.x - 100;
      const dy = before[j]!.y - 100;
      expect(p.x).toBeCloseTo(100 - 0.5 * dy, 9);
      expect(p.y).toBeCloseTo(100 + 0.5 * dx, 9);
    });
    editor.run({ type: "undo" });
    expect(editor.hand.keypoints).toEqual(before);
    // From the keyboard: a nudge in hand drag mode moves the selected joint as the drag would (the wrist: all).
    editor.run({ type: "selectJoint", hand: 0, joint: 0 }, { type: "nudge", dx: -10, dy: 0, mode: "hand" });
    editor.hand.keypoints.forEach((p, j) => expect(p).toMatchObject({ x: before[j]!.x - 10, y: before[j]!.y }));
    editor.run({ type: "undo" });
    expect(editor.hand.keypoints).toEqual(before);
  });

  it("selection alone never touches the document or the redo stack", () => {
    const editor = labelled().run({ type: "undo" });
    const revision = editor.state.revision;
    editor.run({ type: "selectJoint", hand: 0, joint: 2 }, { type: "cycleJoint", step: 1 }, { type: "clearSelection" });
    expect(editor.state.revision).toBe(revision);
    expect(editor.state.history.future).toHaveLength(1);
  });

  it("keeps at most MAX_HISTORY undo steps", () => {
    const editor = labelled().run({ type: "selectJoint", hand: 0, joint: 0 });
    for (let i = 0; i < MAX_HISTORY + 20; i++) editor.run({ type: "nudge", dx: 1, dy: 0 });
    expect(editor.state.history.past).toHaveLength(MAX_HISTORY);
  });

  it("pastes hands from the previous image and refuses 'no hands' while hands exist", () => {
    const editor = labelled();
    const copy = editor.state.doc.hands[0];
    editor.run({ type: "pasteHands", hands: [copy] }, { type: "setNoHands", value: true });
    expect(editor.state.doc.hands).toHaveLength(2);
    expect(editor.state.doc.noHands).toBe(false);
    expect(editor.state.selection.hand).toBe(1);
  });
});

describe("rescaleHand", () => {
  it("maps a copied hand onto an image of another size and keeps it inside", async () => {
    const { rescaleHand, newHand } = await import("./hand-ops");
    const hand = {
      ...newHand(),
      keypoints: newHand().keypoints.map((p, j) =>
        j < 2 ? { x: 100 * (j + 1), y: 50, state: "visible" as const } : p,
      ),
    };
    const scaled = rescaleHand(hand, { width: 200, height: 100 }, { width: 400, height: 300 });
    expect(scaled.keypoints.slice(0, 2)).toEqual([
      { x: 200, y: 150, state: "visible" },
      { x: 400, y: 150, state: "visible" },
    ]);
    expect(scaled.bbox).not.toBeNull();
  });
});

describe("bounding box", () => {
  it("follows the joints until adjusted by hand, then stays until reset", () => {
    const editor = new TestEditor().run({ type: "newHand" });
    editor.click(100, 100).click(200, 200);
    const derived = editor.hand.bbox!;
    editor.run(
      { type: "clearSelection" },
      { type: "selectHand", hand: 0 },
      { type: "setBbox", bbox: { x: 50, y: 60, width: 300, height: 900 } },
    );
    expect(editor.hand.bbox).toEqual({ x: 50, y: 60, width: 300, height: 740 }); // clamped to the 800 px high image
    expect(editor.hand.bboxEdited).toBe(true);
    editor.run({ type: "selectJoint", hand: 0, joint: 0 }, { type: "nudge", dx: 5, dy: 0 });
    expect(editor.hand.bbox).toEqual({ x: 50, y: 60, width: 300, height: 740 });
    editor.run({ type: "resetBbox" });
    expect(editor.hand.bboxEdited).toBe(false);
    expect(editor.hand.bbox!.x).toBeCloseTo(derived.x + 5, 5);
  });
});
