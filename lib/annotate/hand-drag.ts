/**
 * The hand drag: drags that move more than one finger. The model's errors are partly the whole hand's (a shift, a
 * turn, a size) and partly its knuckle row's (lib/assist/error-decomposition.ts measures both); in hand drag mode
 * - dragging the wrist moves every joint of the hand with it;
 * - dragging one of the four finger bases (index to little MCP) slides the four of them along their own fingers:
 *   the pointer's offset, measured along and across the dragged base's finger (base → next joint, in lengths of
 *   that bone), is applied to each base along and across its own finger; the rest of each finger stays where it
 *   is. Data sets put the knuckles at different depths into the fingers (FreiHAND further than MediaPipe): on the
 *   sample photos this saved more drags than one shift of the row, turning the row about the wrist, or moving the
 *   fingers with it (bench/assist.ts);
 * - dragging any other joint turns and scales the whole hand about the wrist by the rotation and scale that carry
 *   that joint to the pointer.
 * Absent joints stay absent; moved joints stay inside the image (clamped). Falls back to moving the joint alone
 * when there is nothing to turn about (no wrist placed, or the joint sits on it).
 */
import { clampToImage, moveJointAlone, turnAbout } from "@/lib/annotate/finger-drag";
import type { TKeypoint } from "@/lib/hand/schema";
import { FINGERS, WRIST } from "@/lib/hand/skeleton";
import type { TImageSize } from "@/lib/images/image-size";

/** The finger bases the knuckle drag moves together (the thumb's base is not on the row). */
export const KNUCKLES: readonly number[] = [FINGERS.index[0], FINGERS.middle[0], FINGERS.ring[0], FINGERS.pinky[0]];

export type THandDragKind = "move" | "knuckles" | "turn";

/** What a hand drag of `joint` does. */
export function handDragKind(joint: number): THandDragKind {
  if (joint === WRIST) return "move";
  return KNUCKLES.includes(joint) ? "knuckles" : "turn";
}

/** The keypoints after a hand drag of `joint` to `to`, from `before` (the hand as the drag began). */
export function dragHand(
  before: readonly TKeypoint[],
  joint: number,
  to: { x: number; y: number },
  image: TImageSize,
): TKeypoint[] {
  const clamp = clampToImage(image);
  const alone = () => moveJointAlone(before, joint, to, image);
  const from = before[joint];
  if (!from || from.state === "absent") return alone();
  const kind = handDragKind(joint);
  const dx = to.x - from.x;
  const dy = to.y - from.y;
  const shifted = (p: TKeypoint) => ({ ...p, ...clamp({ x: p.x + dx, y: p.y + dy }) });
  if (kind === "move") return before.map((p) => (p.state === "absent" ? p : shifted(p)));
  if (kind === "knuckles") {
    // A base's finger axis: base → next joint (null when that joint is absent or on the base).
    const axis = (j: number) => {
      const next = before[j + 1];
      if (!next || next.state === "absent") return null;
      const a = { x: next.x - before[j]!.x, y: next.y - before[j]!.y };
      return a.x * a.x + a.y * a.y > 1e-9 ? a : null;
    };
    const a = axis(joint);
    const len2 = a ? a.x * a.x + a.y * a.y : 0;
    const along = a ? (dx * a.x + dy * a.y) / len2 : 0;
    const across = a ? (dy * a.x - dx * a.y) / len2 : 0;
    return before.map((p, j) => {
      if (!KNUCKLES.includes(j) || p.state === "absent") return p;
      const b = a && axis(j);
      // Without an axis (its own or the dragged base's), a base moves by the pointer's offset.
      if (!b) return shifted(p);
      return { ...p, ...clamp({ x: p.x + along * b.x - across * b.y, y: p.y + along * b.y + across * b.x }) };
    });
  }
  const wrist = before[WRIST]!;
  if (wrist.state === "absent") return alone();
  const turn = turnAbout(wrist, from, to);
  if (!turn) return alone();
  return before.map((p, j) => (j === WRIST || p.state === "absent" ? p : { ...p, ...clamp(turn(p)) }));
}
