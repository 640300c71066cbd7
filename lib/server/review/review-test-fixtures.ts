/** Test fixtures of the review tests: one open hand, fingers up, thumb on the image's left (a left palm: no flag). */
import type { THand, THandedness } from "@/lib/hand/schema";

export const openHandPoint = (joint: number) =>
  joint === 0 ? { x: 320, y: 420 } : { x: 200 + Math.floor((joint - 1) / 4) * 60, y: 330 - ((joint - 1) % 4) * 45 };

/**
 * The open hand seen from the palm, labelled `handedness`, moved `shift` px to the right, its thumb tip a further
 * `thumbTipShift` px.
 */
export const openHand = ({
  handedness = "left",
  shift = 0,
  thumbTipShift = 0,
}: { handedness?: THandedness; shift?: number; thumbTipShift?: number } = {}): THand => ({
  handedness,
  bbox: null,
  bboxEdited: false,
  gesture: null,
  view: "palm",
  interaction: "none",
  truncated: false,
  skinTone: null,
  attributes: {},
  keypoints: Array.from({ length: 21 }, (_, j) => ({
    x: openHandPoint(j).x + shift + (j === 4 ? thumbTipShift : 0),
    y: openHandPoint(j).y,
    state: "visible" as const,
  })),
});
