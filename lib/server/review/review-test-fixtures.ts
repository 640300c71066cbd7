/** Test fixtures of the review tests: one open hand, fingers up, thumb on the image's left (a left palm: no flag). */
import type { THand, THandedness } from "@/lib/hand/schema";

export const openHandPoint = (joint: number) =>
  joint === 0 ? { x: 320, y: 420 } : { x: 200 + Math.floor((joint - 1) / 4) * 60, y: 330 - ((joint - 1) % 4) * 45 };

/** The open hand seen from the palm, labelled `handedness`, its thumb tip moved `thumbTipShift` px to the right. */
export const openHand = ({
  handedness = "left",
  thumbTipShift = 0,
}: { handedness?: THandedness; thumbTipShift?: number } = {}): THand => ({
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
    ...openHandPoint(j),
    ...(j === 4 ? { x: openHandPoint(4).x + thumbTipShift } : {}),
    state: "visible" as const,
  })),
});
