/**
 * Names for undo steps, so the workspace can show its undo history ("Moved index tip, hand 1").
 * The history keeps whole documents (history.ts); a step's name is read from the difference between
 * the document before it and the one after. Framework-free.
 */
import type { TAnnotationDoc } from "./schema";
import type { THistory } from "./history";
import { JOINT_NAMES } from "@/lib/hand/skeleton";

const HAND_FIELDS = ["handedness", "gesture", "view", "interaction", "truncated", "skinTone", "bbox"] as const;

/** What changed from `before` to `after`, in a few words. */
export function describeStep(before: TAnnotationDoc, after: TAnnotationDoc): string {
  if (after.hands.length > before.hands.length) {
    const added = after.hands.length - before.hands.length;
    return added === 1 ? `Added hand ${after.hands.length}` : `Added ${added} hands`;
  }
  if (after.hands.length < before.hands.length) {
    const gone = before.hands.findIndex((hand, index) => after.hands[index] !== hand);
    const removed = before.hands.length - after.hands.length;
    return removed === 1
      ? `Deleted hand ${(gone < 0 ? before.hands.length - 1 : gone) + 1}`
      : `Deleted ${removed} hands`;
  }
  for (let h = 0; h < after.hands.length; h++) {
    const a = before.hands[h]!;
    const b = after.hands[h]!;
    if (a === b) continue;
    const joints = b.keypoints
      .map((point, j) => ({ j, from: a.keypoints[j]!, to: point }))
      .filter(({ from, to }) => from.state !== to.state || from.x !== to.x || from.y !== to.y);
    if (joints.length === 1) {
      const { j, from, to } = joints[0]!;
      const name = JOINT_NAMES[j];
      const where = `hand ${h + 1}`;
      if (from.state === "absent") return `Placed ${name}, ${where}`;
      if (to.state === "absent") return `Cleared ${name}, ${where}`;
      if (from.state !== to.state) return `${name} ${to.state}, ${where}`;
      return `Moved ${name}, ${where}`;
    }
    if (joints.length > 1) return `Changed ${joints.length} joints, hand ${h + 1}`;
    const fields = HAND_FIELDS.filter((field) => JSON.stringify(a[field]) !== JSON.stringify(b[field]));
    if (JSON.stringify(a.attributes) !== JSON.stringify(b.attributes)) fields.push("attributes" as never);
    if (fields.length) return `Hand ${h + 1}: ${fields.join(", ")}`;
  }
  if (before.noHands !== after.noHands) return after.noHands ? "Marked: no hands" : "Unmarked: no hands";
  if (JSON.stringify(before.imageFlags) !== JSON.stringify(after.imageFlags)) return "Image flags";
  return "Edit";
}

/**
 * The undo history as a list, oldest step first: each done step ("undo" goes back over them, newest first)
 * and each undone step that redo would bring back.
 */
export function historySteps(history: THistory, doc: TAnnotationDoc): { done: string[]; undone: string[] } {
  const done = history.past.map((before, index) => describeStep(before, history.past[index + 1] ?? doc));
  const undone = history.future.map((after, index) =>
    describeStep(index === 0 ? doc : history.future[index - 1]!, after),
  );
  return { done, undone };
}
