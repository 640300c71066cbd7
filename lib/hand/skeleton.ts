/**
 * The hand model: the single source of truth for joint order, bones and fingers.
 * Order is MediaPipe / OpenPose / COCO-WholeBody hand order (DESIGN.md §1); every other module
 * (schemas, QC, export, canvas) must import from here rather than re-declare indices.
 */
import type { TKeypointState } from "./schema";

export const JOINT_NAMES = [
  "wrist",
  "thumb_cmc",
  "thumb_mcp",
  "thumb_ip",
  "thumb_tip",
  "index_mcp",
  "index_pip",
  "index_dip",
  "index_tip",
  "middle_mcp",
  "middle_pip",
  "middle_dip",
  "middle_tip",
  "ring_mcp",
  "ring_pip",
  "ring_dip",
  "ring_tip",
  "pinky_mcp",
  "pinky_pip",
  "pinky_dip",
  "pinky_tip",
] as const;

export type JointName = (typeof JOINT_NAMES)[number];

export const JOINT_COUNT = 21;

/** A 0-based joint index pair [parent, child]. */
export type Bone = readonly [number, number];

/** 20 bones, 0-based, in DESIGN.md order: wrist to each finger base, then along each finger. */
export const BONES: readonly Bone[] = [
  [0, 1],
  [0, 5],
  [0, 9],
  [0, 13],
  [0, 17],
  [1, 2],
  [2, 3],
  [3, 4],
  [5, 6],
  [6, 7],
  [7, 8],
  [9, 10],
  [10, 11],
  [11, 12],
  [13, 14],
  [14, 15],
  [15, 16],
  [17, 18],
  [18, 19],
  [19, 20],
] as const;

export const FINGER_NAMES = ["thumb", "index", "middle", "ring", "pinky"] as const;
export type FingerName = (typeof FINGER_NAMES)[number];

/** Each finger's four joint indices, base → tip (for the thumb the base is the CMC). */
export const FINGERS: Readonly<Record<FingerName, readonly [number, number, number, number]>> = {
  thumb: [1, 2, 3, 4],
  index: [5, 6, 7, 8],
  middle: [9, 10, 11, 12],
  ring: [13, 14, 15, 16],
  pinky: [17, 18, 19, 20],
};

export const FINGERTIPS = [4, 8, 12, 16, 20] as const;

/** Fingertip → its distal joint (the joint one step towards the wrist). Used by fingertip blur geometry. */
export const DISTAL_OF_TIP: Readonly<Record<number, number>> = {
  4: 3,
  8: 7,
  12: 11,
  16: 15,
  20: 19,
};

export const WRIST = 0;

/** Which finger a joint belongs to; the wrist belongs to none. Throws on an index outside 0..20. */
export function fingerOfJoint(i: number): FingerName | null {
  if (!Number.isInteger(i) || i < 0 || i >= JOINT_COUNT) {
    throw new RangeError(`joint index out of range: ${i}`);
  }
  if (i === WRIST) return null;
  // Joints 1..20 come in runs of four, one run per finger, in FINGER_NAMES order.
  return FINGER_NAMES[Math.floor((i - 1) / 4)]!;
}

/** The joint's name, e.g. 8 → "index_tip". */
export function jointName(i: number): JointName {
  const name = JOINT_NAMES[i];
  if (name === undefined) throw new RangeError(`joint index out of range: ${i}`);
  return name;
}

/** COCO stores skeleton pairs 1-based; never hand-write these. */
export function cocoSkeleton(): [number, number][] {
  return BONES.map(([a, b]) => [a + 1, b + 1]);
}

export type CocoVisibility = 0 | 1 | 2;

/** Keypoint state → COCO `v`. */
export const COCO_VISIBILITY: Readonly<Record<TKeypointState, CocoVisibility>> = {
  visible: 2,
  occluded: 1,
  absent: 0,
};

/** COCO `v` → keypoint state (the inverse of COCO_VISIBILITY). */
export const STATE_OF_COCO_VISIBILITY: Readonly<Record<CocoVisibility, TKeypointState>> = {
  2: "visible",
  1: "occluded",
  0: "absent",
};

/** Parse a COCO `v` value; returns null for anything other than 0, 1 or 2. */
export function stateFromCocoVisibility(v: number): TKeypointState | null {
  return v === 0 || v === 1 || v === 2 ? STATE_OF_COCO_VISIBILITY[v] : null;
}
