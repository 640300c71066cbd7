/**
 * Bounding boxes derived from keypoints. A box drawn from the joints alone would cut through
 * the fingertips and the palm edge, so it is padded by a margin proportional to the hand's size.
 */
import type { TBbox, TKeypointInput } from "./schema";

export const MIN_MARGIN_PX = 4;

export interface ImageSize {
  width: number;
  height: number;
}

/**
 * Box around the placed (non-absent) points, expanded on every side by `marginRatio` of the
 * box's larger side (at least MIN_MARGIN_PX), clamped to the image when given.
 * Returns null with fewer than two placed points: one point does not describe a hand's extent.
 */
export function bboxFromKeypoints(
  keypoints: readonly TKeypointInput[],
  marginRatio = 0.1,
  image?: ImageSize,
): TBbox | null {
  const placed = keypoints.filter((p) => p.state !== "absent" && Number.isFinite(p.x) && Number.isFinite(p.y));
  if (placed.length < 2) return null;

  let minX = Infinity;
  let minY = Infinity;
  let maxX = -Infinity;
  let maxY = -Infinity;
  for (const p of placed) {
    minX = Math.min(minX, p.x);
    minY = Math.min(minY, p.y);
    maxX = Math.max(maxX, p.x);
    maxY = Math.max(maxY, p.y);
  }

  const margin = Math.max(MIN_MARGIN_PX, Math.max(maxX - minX, maxY - minY) * Math.max(0, marginRatio));
  minX -= margin;
  minY -= margin;
  maxX += margin;
  maxY += margin;

  if (image) {
    minX = clamp(minX, 0, image.width);
    maxX = clamp(maxX, 0, image.width);
    minY = clamp(minY, 0, image.height);
    maxY = clamp(maxY, 0, image.height);
  }

  return { x: minX, y: minY, width: maxX - minX, height: maxY - minY };
}

export function bboxArea(box: TBbox | null | undefined): number {
  return box ? Math.max(0, box.width) * Math.max(0, box.height) : 0;
}

function clamp(v: number, lo: number, hi: number): number {
  return Math.min(hi, Math.max(lo, v));
}
