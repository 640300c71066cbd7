/**
 * The finger drag: one drag fixes a bent or mis-scaled finger. Dragging joint j of a finger turns and stretches
 * j and every joint after it on that finger (towards the tip) about the joint before j — the wrist for a
 * finger's first joint — by the rotation and scale that carry j from where it was to the pointer. Joints that
 * are absent stay absent; moved joints stay inside the image (clamped).
 */
import type { TKeypoint } from "@/lib/hand/schema";
import { FINGERS, WRIST, fingerOfJoint } from "@/lib/hand/skeleton";
import type { TImageSize } from "@/lib/images/image-size";

/** The joint the finger turns about when `joint` is dragged, and the joints that move (joint first). */
export function fingerChain(joint: number): { pivot: number; chain: number[] } | null {
  const finger = fingerOfJoint(joint);
  if (!finger) return null;
  const joints = FINGERS[finger];
  const k = joints.indexOf(joint);
  return { pivot: k === 0 ? WRIST : joints[k - 1]!, chain: joints.slice(k) };
}

/** A point kept inside the image (drags never place a joint outside it). */
export const clampToImage =
  (image: TImageSize) =>
  (p: { x: number; y: number }): { x: number; y: number } => ({
    x: Math.min(image.width, Math.max(0, p.x)),
    y: Math.min(image.height, Math.max(0, p.y)),
  });

type TPoint = { x: number; y: number };

/**
 * The turn and scale about `pivot` that takes `from` to `to`, as a map of points (as complex numbers about the
 * pivot, w = (to − pivot) / (from − pivot) is rotation × scale); null when `from` sits on the pivot.
 */
export function turnAbout(pivot: TPoint, from: TPoint, to: TPoint): ((p: TPoint) => TPoint) | null {
  const ax = from.x - pivot.x;
  const ay = from.y - pivot.y;
  const bx = to.x - pivot.x;
  const by = to.y - pivot.y;
  const d = ax * ax + ay * ay;
  if (d < 1e-9) return null;
  const wr = (bx * ax + by * ay) / d;
  const wi = (by * ax - bx * ay) / d;
  return (p) => {
    const dx = p.x - pivot.x;
    const dy = p.y - pivot.y;
    return { x: pivot.x + wr * dx - wi * dy, y: pivot.y + wi * dx + wr * dy };
  };
}

/** The keypoints with `joint` alone moved to `to` (an absent joint stays absent): every drag's fallback. */
export function moveJointAlone(
  before: readonly TKeypoint[],
  joint: number,
  to: { x: number; y: number },
  image: TImageSize,
): TKeypoint[] {
  const clamp = clampToImage(image);
  return before.map((p, j) => (j === joint && p.state !== "absent" ? { ...p, ...clamp(to) } : p));
}

/**
 * The keypoints after dragging `joint` to `to`, from `before` (the hand as the drag began). Falls back to
 * moving the joint alone when it has no placed pivot (the wrist, or a pivot not placed yet) or sits on it.
 */
export function dragFinger(
  before: readonly TKeypoint[],
  joint: number,
  to: { x: number; y: number },
  image: TImageSize,
): TKeypoint[] {
  const clamp = clampToImage(image);
  const alone = () => moveJointAlone(before, joint, to, image);
  const found = fingerChain(joint);
  if (!found) return alone();
  const pivot = before[found.pivot]!;
  const from = before[joint]!;
  if (pivot.state === "absent" || from.state === "absent") return alone();
  const turn = turnAbout(pivot, from, to);
  if (!turn) return alone();
  const moving = new Set(found.chain);
  return before.map((p, j) => {
    if (!moving.has(j) || p.state === "absent") return p;
    return { ...p, ...clamp(turn(p)) };
  });
}
