/** Pure operations on one hand, used by the editor's commands. */
import { bboxFromKeypoints } from "@/lib/hand/bbox";
import { emptyKeypoints, type THand, type THandedness, type TKeypoint } from "@/lib/hand/schema";
import type { TImageSize } from "@/lib/images/image-size";

export function newHand(): THand {
  return {
    handedness: "unknown",
    keypoints: emptyKeypoints(),
    bbox: null,
    bboxEdited: false,
    gesture: null,
    view: null,
    interaction: "none",
    truncated: false,
    skinTone: null,
    attributes: {},
  };
}

export const inImage = (image: TImageSize, x: number, y: number) =>
  x >= 0 && y >= 0 && x <= image.width && y <= image.height;
export const clampToImage = (image: TImageSize, x: number, y: number) => ({
  x: Math.min(image.width, Math.max(0, x)),
  y: Math.min(image.height, Math.max(0, y)),
});

/** The hand with new keypoints; its box follows them (joints plus a margin) unless it was adjusted by hand. */
export function withKeypoints(hand: THand, keypoints: TKeypoint[], image: TImageSize): THand {
  return { ...hand, keypoints, bbox: hand.bboxEdited ? hand.bbox : bboxFromKeypoints(keypoints, 0.1, image) };
}

export function setKeypoint(hand: THand, joint: number, point: TKeypoint, image: TImageSize): THand {
  const keypoints = hand.keypoints.map((existing, index) =>
    index === joint ? (point.state === "absent" ? { x: 0, y: 0, state: "absent" as const } : point) : existing,
  );
  return withKeypoints(hand, keypoints, image);
}

const OPPOSITE: Record<THandedness, THandedness> = { left: "right", right: "left", unknown: "unknown" };

/**
 * Mirrors a hand left↔right about the vertical line through its box centre and swaps its
 * handedness: the fix for a hand labelled with the wrong side's joint order.
 */
export function mirrorHand(hand: THand, image: TImageSize): THand {
  const placed = hand.keypoints.filter((p) => p.state !== "absent");
  if (placed.length === 0) return { ...hand, handedness: OPPOSITE[hand.handedness] };
  const xs = placed.map((p) => p.x);
  const centre = (Math.min(...xs) + Math.max(...xs)) / 2;
  const keypoints = hand.keypoints.map((p) =>
    p.state === "absent" ? p : { ...p, ...clampToImage(image, 2 * centre - p.x, p.y) },
  );
  return { ...withKeypoints(hand, keypoints, image), handedness: OPPOSITE[hand.handedness] };
}

/** A hand copied from another image of the subject: coordinates scaled to this image's size. */
export function rescaleHand(hand: THand, from: TImageSize, to: TImageSize): THand {
  const sx = to.width / from.width;
  const sy = to.height / from.height;
  const keypoints = hand.keypoints.map((p) =>
    p.state === "absent" ? p : { ...p, ...clampToImage(to, p.x * sx, p.y * sy) },
  );
  return withKeypoints(hand, keypoints, to);
}
