/**
 * The annotation editor as plain data and one reducer: the Konva view draws `TEditorState` and
 * turns pointer and key events into `TEditorCommand`s; nothing else changes the document.
 * Every document change is one undo step, except a drag, which is one step from pointer-down to up.
 */
import type { THand, THandedness, TKeypointState } from "@/lib/hand/schema";
import { JOINT_COUNT } from "@/lib/hand/skeleton";
import { closeMark, emptyHistory, openMark, record, redo, undo, type THistory } from "./history";
import { clampToImage, inImage, mirrorHand, newHand, setKeypoint, withKeypoints } from "./hand-ops";
import type { TImageSize } from "@/lib/images/image-size";
import type { TAnnotationDoc } from "./schema";
import { MIDDLE_MCP, applyHandTemplate } from "./template";
import { dragFinger, fingerChain } from "./finger-drag";
import { dragHand } from "./hand-drag";

/**
 * Guided placement: the joint the next click places, and whether it is placed as occluded.
 * `templateFrom`: the template key was pressed with placement at that joint; once the middle MCP is
 * placed the template fills absent joints from there on (earlier absent ones were skipped on purpose).
 */
export type TPlacement = {
  hand: number;
  joint: number;
  occluded: boolean;
  templateFrom: number | null;
  /** The keyboard cursor (image px): Enter places the joint here, the arrow keys move it. Follows the last placed joint. */
  cursor: { x: number; y: number };
};

export type TEditorState = {
  image: TImageSize;
  doc: TAnnotationDoc;
  selection: { hand: number | null; joint: number | null };
  placement: TPlacement | null;
  history: THistory;
  /** Bumped on every document change: autosave listens to it (0 = as loaded). */
  revision: number;
  /**
   * The open drag's mode: one joint, or the finger drag — the dragged joint and the rest of its finger towards
   * the tip turn and stretch together about the joint before it (lib/annotate/finger-drag.ts) — or the hand drag,
   * which moves, turns and scales the whole hand or moves its knuckle row (lib/annotate/hand-drag.ts).
   */
  dragMode?: TDragMode;
};

export type TDragMode = "joint" | "finger" | "hand";

export type TEditorCommand =
  | { type: "load"; doc: TAnnotationDoc }
  | { type: "newHand" }
  | { type: "canvasClick"; x: number; y: number }
  | { type: "placeAtCursor" }
  | { type: "toggleOccludedNext" }
  | { type: "markAbsent" }
  | { type: "selectJoint"; hand: number; joint: number }
  | { type: "selectHand"; hand: number }
  | { type: "cycleHand"; step: 1 | -1 }
  /** `order`: the joints in the order Tab visits them (default 0..20; region assist puts likely-wrong joints first). */
  | { type: "cycleJoint"; step: 1 | -1; order?: readonly number[] }
  | { type: "clearSelection" }
  | { type: "beginDrag"; hand: number; joint: number; mode?: TDragMode }
  | { type: "dragTo"; x: number; y: number }
  | { type: "endDrag" }
  /** The selected joint moved by (dx, dy) as a drag in `mode` would move it (default: the joint alone). */
  | { type: "nudge"; dx: number; dy: number; mode?: TDragMode }
  | { type: "setJointState"; state: TKeypointState }
  /**
   * One action that marks a joint absent (Shift+click on the canvas), or with `finger` that joint and the rest
   * of its finger towards the tip (a hidden finger in one go). Without `hand`/`joint`: the selected joint.
   */
  | { type: "markJointsAbsent"; hand?: number; joint?: number; finger: boolean }
  | { type: "deleteHand" }
  | { type: "setHandedness"; handedness: THandedness }
  | { type: "mirrorHand" }
  | { type: "applyTemplate" }
  | {
      type: "setHandMeta";
      patch: Partial<Pick<THand, "gesture" | "view" | "interaction" | "truncated" | "skinTone" | "attributes">>;
    }
  | { type: "setBbox"; bbox: { x: number; y: number; width: number; height: number } }
  | { type: "resetBbox" }
  | { type: "pasteHands"; hands: THand[] }
  /** A hand replaced as a whole (region assist completing a partial hand): one undo step. */
  | { type: "replaceHand"; hand: number; value: THand }
  | { type: "setNoHands"; value: boolean }
  | { type: "toggleImageFlag"; flag: string }
  | { type: "undo" }
  | { type: "redo" };

export function createEditor(image: TImageSize, doc: TAnnotationDoc): TEditorState {
  return {
    image,
    doc,
    selection: { hand: doc.hands.length ? 0 : null, joint: null },
    placement: null,
    history: emptyHistory(),
    revision: 0,
  };
}

/** A document change: one undo step (or part of the open drag), and a new revision for autosave. */
function commit(state: TEditorState, doc: TAnnotationDoc, patch: Partial<TEditorState> = {}): TEditorState {
  const history = state.history.mark ? state.history : record(state.history, state.doc);
  return { ...state, ...patch, doc, history, revision: state.revision + 1 };
}

const ABSENT_POINT = { x: 0, y: 0, state: "absent" as const };

function replaceHand(doc: TAnnotationDoc, index: number, hand: THand): TAnnotationDoc {
  return { ...doc, hands: doc.hands.map((h, i) => (i === index ? hand : h)) };
}

/** The next joint after `joint` that is still absent, or null when the hand is complete. */
function nextAbsent(hand: THand, joint: number): number | null {
  for (let j = joint + 1; j < JOINT_COUNT; j++) if (hand.keypoints[j].state === "absent") return j;
  return null;
}

function advance(state: TEditorState, doc: TAnnotationDoc, placement: TPlacement): TEditorState {
  const hand = doc.hands[placement.hand];
  if (placement.templateFrom !== null && placement.joint === MIDDLE_MCP) {
    const filled = applyHandTemplate(hand.keypoints, hand.handedness, hand.view, placement.templateFrom);
    if (filled) {
      const templated = replaceHand(doc, placement.hand, withKeypoints(hand, filled, state.image));
      return { ...state, doc: templated, placement: null, selection: { hand: placement.hand, joint: null } };
    }
  }
  const next = nextAbsent(hand, placement.joint);
  return {
    ...state,
    doc,
    placement: next === null ? null : { ...placement, joint: next, occluded: false },
    selection: { hand: placement.hand, joint: next ?? placement.joint },
  };
}

function selectedHand(state: TEditorState): number | null {
  const hand = state.placement?.hand ?? state.selection.hand;
  return hand !== null && hand < state.doc.hands.length ? hand : null;
}

export function dispatch(state: TEditorState, command: TEditorCommand): TEditorState {
  const { doc, image } = state;
  const handIndex = selectedHand(state);
  const hand = handIndex === null ? null : doc.hands[handIndex];
  switch (command.type) {
    case "load":
      return createEditor(image, command.doc);
    case "newHand": {
      const hands = [...doc.hands, newHand()];
      const index = hands.length - 1;
      return commit(
        state,
        { ...doc, hands, noHands: false },
        {
          placement: {
            hand: index,
            joint: 0,
            occluded: false,
            templateFrom: null,
            cursor: { x: Math.round(image.width / 2), y: Math.round(image.height / 2) },
          },
          selection: { hand: index, joint: 0 },
        },
      );
    }
    case "canvasClick": {
      if (!state.placement) return { ...state, selection: { hand: state.selection.hand, joint: null } };
      if (!inImage(image, command.x, command.y)) return state;
      const { placement } = state;
      const point = {
        x: command.x,
        y: command.y,
        state: placement.occluded ? ("occluded" as const) : ("visible" as const),
      };
      const committed = commit(
        state,
        replaceHand(doc, placement.hand, setKeypoint(doc.hands[placement.hand], placement.joint, point, image)),
      );
      return advance(committed, committed.doc, { ...placement, cursor: { x: command.x, y: command.y } });
    }
    case "placeAtCursor":
      return state.placement ? dispatch(state, { type: "canvasClick", ...state.placement.cursor }) : state;
    case "toggleOccludedNext":
      return state.placement
        ? { ...state, placement: { ...state.placement, occluded: !state.placement.occluded } }
        : state;
    case "markAbsent": {
      if (!state.placement) return state;
      const { placement } = state;
      const alreadyAbsent = doc.hands[placement.hand].keypoints[placement.joint].state === "absent";
      const committed = alreadyAbsent
        ? state
        : commit(
            state,
            replaceHand(
              doc,
              placement.hand,
              setKeypoint(doc.hands[placement.hand], placement.joint, { x: 0, y: 0, state: "absent" }, image),
            ),
          );
      return advance(committed, committed.doc, placement);
    }
    case "selectJoint":
      if (command.hand >= doc.hands.length) return state;
      // Picking an absent joint while placing makes it the one the next click places.
      if (
        state.placement?.hand === command.hand &&
        doc.hands[command.hand].keypoints[command.joint].state === "absent"
      ) {
        return {
          ...state,
          placement: { ...state.placement, joint: command.joint, occluded: false },
          selection: { hand: command.hand, joint: command.joint },
        };
      }
      return { ...state, placement: null, selection: { hand: command.hand, joint: command.joint } };
    case "selectHand":
      return command.hand < doc.hands.length
        ? { ...state, placement: null, selection: { hand: command.hand, joint: null } }
        : state;
    case "cycleHand": {
      if (doc.hands.length === 0) return state;
      const next = ((handIndex ?? 0) + command.step + doc.hands.length) % doc.hands.length;
      return { ...state, placement: null, selection: { hand: next, joint: null } };
    }
    case "cycleJoint": {
      if (handIndex === null) return state;
      const order = command.order?.length === JOINT_COUNT ? command.order : null;
      if (order) {
        const at = state.selection.joint === null ? -1 : order.indexOf(state.selection.joint);
        const next = order[(((at + command.step) % JOINT_COUNT) + JOINT_COUNT) % JOINT_COUNT]!;
        return { ...state, placement: null, selection: { hand: handIndex, joint: next } };
      }
      const next = ((((state.selection.joint ?? -1) + command.step) % JOINT_COUNT) + JOINT_COUNT) % JOINT_COUNT;
      return { ...state, placement: null, selection: { hand: handIndex, joint: next } };
    }
    case "clearSelection":
      return { ...state, placement: null, selection: { hand: state.selection.hand, joint: null } };
    case "beginDrag":
      if (command.hand >= doc.hands.length) return state;
      return {
        ...state,
        placement: null,
        selection: { hand: command.hand, joint: command.joint },
        history: openMark(state.history, doc),
        dragMode: command.mode ?? "joint",
      };
    case "dragTo": {
      const { hand: h, joint } = state.selection;
      if (h === null || joint === null || !state.history.mark) return state;
      const current = doc.hands[h].keypoints[joint];
      if (current.state === "absent") return state;
      if (state.dragMode === "finger" || state.dragMode === "hand") {
        // From the hand as it was when the drag began, so the finger keeps its shape however the pointer wanders.
        const before = state.history.mark.hands[h] ?? doc.hands[h];
        const to = clampToImage(image, command.x, command.y);
        const moved =
          state.dragMode === "finger"
            ? dragFinger(before.keypoints, joint, to, image)
            : dragHand(before.keypoints, joint, to, image);
        return commit(state, replaceHand(doc, h, withKeypoints(doc.hands[h], moved, image)));
      }
      const moved = replaceHand(
        doc,
        h,
        setKeypoint(doc.hands[h], joint, { ...current, ...clampToImage(image, command.x, command.y) }, image),
      );
      return commit(state, moved);
    }
    case "endDrag":
      return { ...state, history: closeMark(state.history, doc), dragMode: "joint" };
    case "nudge": {
      // While placing, the arrow keys move the keyboard cursor instead.
      if (state.placement)
        return {
          ...state,
          placement: {
            ...state.placement,
            cursor: clampToImage(image, state.placement.cursor.x + command.dx, state.placement.cursor.y + command.dy),
          },
        };
      const joint = state.selection.joint;
      if (hand === null || handIndex === null || joint === null || hand.keypoints[joint].state === "absent")
        return state;
      const point = hand.keypoints[joint];
      const to = clampToImage(image, point.x + command.dx, point.y + command.dy);
      if (command.mode === "finger" || command.mode === "hand") {
        const moved =
          command.mode === "finger"
            ? dragFinger(hand.keypoints, joint, to, image)
            : dragHand(hand.keypoints, joint, to, image);
        return commit(state, replaceHand(doc, handIndex, withKeypoints(hand, moved, image)));
      }
      return commit(state, replaceHand(doc, handIndex, setKeypoint(hand, joint, { ...point, ...to }, image)));
    }
    case "setJointState": {
      const joint = state.placement?.joint ?? state.selection.joint;
      if (hand === null || handIndex === null || joint === null) return state;
      const point = hand.keypoints[joint];
      if (command.state !== "absent" && point.state === "absent") {
        // A position is needed first: while placing, the next click uses this state.
        return state.placement
          ? { ...state, placement: { ...state.placement, occluded: command.state === "occluded" } }
          : state;
      }
      if (point.state === command.state) return state;
      return commit(
        state,
        replaceHand(doc, handIndex, setKeypoint(hand, joint, { ...point, state: command.state }, image)),
      );
    }
    case "markJointsAbsent": {
      const h = command.hand ?? (state.placement ? null : handIndex);
      const joint = command.joint ?? (state.placement ? null : state.selection.joint);
      if (h === null || joint === null || h >= doc.hands.length) return state;
      const joints = command.finger ? (fingerChain(joint)?.chain ?? [joint]) : [joint];
      const target = doc.hands[h];
      if (joints.every((j) => target.keypoints[j]!.state === "absent")) return state;
      const keypoints = target.keypoints.map((p, j) => (joints.includes(j) ? ABSENT_POINT : p));
      return commit(state, replaceHand(doc, h, withKeypoints(target, keypoints, image)), {
        placement: null,
        selection: { hand: h, joint },
      });
    }
    case "deleteHand": {
      if (handIndex === null) return state;
      const hands = doc.hands.filter((_, i) => i !== handIndex);
      return commit(
        state,
        { ...doc, hands },
        {
          placement: null,
          selection: { hand: hands.length ? Math.min(handIndex, hands.length - 1) : null, joint: null },
        },
      );
    }
    case "setHandedness":
      if (hand === null || handIndex === null || hand.handedness === command.handedness) return state;
      return commit(state, replaceHand(doc, handIndex, { ...hand, handedness: command.handedness }));
    case "mirrorHand":
      if (hand === null || handIndex === null) return state;
      return commit(state, replaceHand(doc, handIndex, mirrorHand(hand, image)));
    case "applyTemplate": {
      if (hand === null || handIndex === null) return state;
      const fillFrom = state.placement?.joint ?? 0;
      const filled = applyHandTemplate(hand.keypoints, hand.handedness, hand.view, fillFrom);
      if (filled)
        return commit(state, replaceHand(doc, handIndex, withKeypoints(hand, filled, image)), {
          placement: null,
          selection: { hand: handIndex, joint: null },
        });
      if (hand.keypoints[0].state === "absent") return state;
      // The wrist is placed: the next click places the middle MCP, then the template drops.
      const cursor = state.placement?.cursor ?? { x: hand.keypoints[0].x, y: hand.keypoints[0].y };
      return {
        ...state,
        placement: { hand: handIndex, joint: MIDDLE_MCP, occluded: false, templateFrom: fillFrom, cursor },
        selection: { hand: handIndex, joint: MIDDLE_MCP },
      };
    }
    case "setHandMeta":
      if (hand === null || handIndex === null) return state;
      return commit(state, replaceHand(doc, handIndex, { ...hand, ...command.patch }));
    case "setBbox": {
      if (hand === null || handIndex === null) return state;
      const topLeft = clampToImage(image, command.bbox.x, command.bbox.y);
      const bottomRight = clampToImage(
        image,
        command.bbox.x + command.bbox.width,
        command.bbox.y + command.bbox.height,
      );
      const bbox = { ...topLeft, width: bottomRight.x - topLeft.x, height: bottomRight.y - topLeft.y };
      return commit(state, replaceHand(doc, handIndex, { ...hand, bbox, bboxEdited: true }));
    }
    case "resetBbox":
      if (hand === null || handIndex === null || !hand.bboxEdited) return state;
      return commit(
        state,
        replaceHand(doc, handIndex, withKeypoints({ ...hand, bboxEdited: false }, hand.keypoints, image)),
      );
    case "pasteHands":
      if (command.hands.length === 0) return state;
      return commit(
        state,
        {
          ...doc,
          noHands: false,
          hands: [...doc.hands, ...command.hands.map((h) => withKeypoints(h, h.keypoints, image))],
        },
        {
          placement: null,
          selection: { hand: doc.hands.length, joint: null },
        },
      );
    case "replaceHand":
      if (command.hand < 0 || command.hand >= doc.hands.length) return state;
      return commit(
        state,
        replaceHand(doc, command.hand, withKeypoints(command.value, command.value.keypoints, image)),
        {
          placement: null,
          selection: { hand: command.hand, joint: null },
        },
      );
    case "setNoHands":
      if (command.value && doc.hands.length > 0) return state;
      return doc.noHands === command.value ? state : commit(state, { ...doc, noHands: command.value });
    case "toggleImageFlag": {
      const flags = doc.imageFlags.includes(command.flag)
        ? doc.imageFlags.filter((f) => f !== command.flag)
        : [...doc.imageFlags, command.flag];
      return commit(state, { ...doc, imageFlags: flags });
    }
    case "undo": {
      const result = undo(closeMark(state.history, doc), doc);
      return result
        ? {
            ...state,
            ...result,
            placement: null,
            revision: state.revision + 1,
            selection: fitSelection(state, result.doc),
          }
        : state;
    }
    case "redo": {
      const result = redo(state.history, doc);
      return result
        ? {
            ...state,
            ...result,
            placement: null,
            revision: state.revision + 1,
            selection: fitSelection(state, result.doc),
          }
        : state;
    }
  }
}

function fitSelection(state: TEditorState, doc: TAnnotationDoc) {
  const hand = state.selection.hand;
  return hand !== null && hand < doc.hands.length
    ? state.selection
    : { hand: doc.hands.length ? 0 : null, joint: null };
}
