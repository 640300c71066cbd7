/**
 * Ultralytics YOLO pose labels: one text file per image, one line per hand:
 *   class cx cy w h  x0 y0 v0 … x20 y20 v20
 * every coordinate normalised to [0, 1] by the image size, v as in COCO (0 absent, 1 occluded, 2 visible;
 * an absent joint is written 0 0 0). The dataset YAML declares kpt_shape [21, 3].
 */
import { bboxFromKeypoints } from "@/lib/hand/bbox";
import type { TBbox, THand } from "@/lib/hand/schema";
import { COCO_VISIBILITY, JOINT_COUNT } from "@/lib/hand/skeleton";

export interface YoloImageSize {
  width: number;
  height: number;
}

/** Six decimals: sub-pixel on a 100-megapixel image, and short lines. */
const DECIMALS = 6;

function fmt(n: number): string {
  const clamped = Math.min(1, Math.max(0, n));
  // Trim trailing zeros so that 0.500000 → 0.5; "0" stays "0".
  return clamped.toFixed(DECIMALS).replace(/\.?0+$/, "") || "0";
}

/**
 * The label line for one hand, or null when the hand has no usable box (fewer than two placed joints and no
 * drawn box, or a box of zero width or height inside the image): YOLO cannot learn from an empty box.
 */
export function yoloLabelLine(hand: THand, image: YoloImageSize, classId = 0): string | null {
  if (!(image.width > 0 && image.height > 0)) throw new RangeError("image width and height must be positive");
  if (hand.keypoints.length !== JOINT_COUNT) throw new RangeError(`a hand has ${JOINT_COUNT} keypoints`);
  const box = clip(hand.bbox ?? bboxFromKeypoints(hand.keypoints, 0.1, image), image);
  if (!box || box.width <= 0 || box.height <= 0) return null;

  const parts: string[] = [
    String(classId),
    fmt((box.x + box.width / 2) / image.width),
    fmt((box.y + box.height / 2) / image.height),
    fmt(box.width / image.width),
    fmt(box.height / image.height),
  ];
  for (const p of hand.keypoints) {
    const v = COCO_VISIBILITY[p.state];
    if (v === 0) parts.push("0", "0", "0");
    else parts.push(fmt(p.x / image.width), fmt(p.y / image.height), String(v));
  }
  return parts.join(" ");
}

/** The label file text for one image (may be empty: an image without hands is a background image). */
export function yoloLabelFile(
  hands: readonly THand[],
  image: YoloImageSize,
): { text: string; written: number; skipped: number } {
  const lines: string[] = [];
  let skipped = 0;
  for (const hand of hands) {
    const line = yoloLabelLine(hand, image);
    if (line === null) skipped++;
    else lines.push(line);
  }
  return { text: lines.length ? lines.join("\n") + "\n" : "", written: lines.length, skipped };
}

function clip(box: TBbox | null, image: YoloImageSize): TBbox | null {
  if (!box) return null;
  const x0 = Math.min(image.width, Math.max(0, box.x));
  const y0 = Math.min(image.height, Math.max(0, box.y));
  const x1 = Math.min(image.width, Math.max(0, box.x + box.width));
  const y1 = Math.min(image.height, Math.max(0, box.y + box.height));
  return { x: x0, y: y0, width: x1 - x0, height: y1 - y0 };
}

/**
 * flip_idx tells Ultralytics which keypoint each keypoint becomes under a horizontal-flip augmentation
 * (for a body: left_eye ↔ right_eye). The 21 joints of one hand have no mirror partners inside the hand:
 * a mirrored hand still has its thumb at index 1–4 and its pinky at 17–20, it merely looks like the other
 * hand. So the map is the identity. Note what it does NOT do: it does not turn a "left" label into "right".
 * With the single class `hand` (the default) that is harmless; if you train separate left/right classes,
 * disable horizontal flips (fliplr: 0.0), since Ultralytics will not swap the classes.
 */
export const YOLO_HAND_FLIP_IDX: readonly number[] = Array.from({ length: JOINT_COUNT }, (_, i) => i);

export interface YoloDataYamlInput {
  /** Class names by id; defaults to { 0: "hand" }. */
  names?: Record<number, string> | readonly string[];
  /** Image folders, relative to `path`. `test` is optional. */
  splits: { train: string; val: string; test?: string };
  /** Dataset root; defaults to "." (the folder holding the YAML). */
  path?: string;
}

const q = (s: string) => JSON.stringify(s); // a JSON string is a valid double-quoted YAML scalar

export function yoloDataYaml({ names, splits, path = "." }: YoloDataYamlInput): string {
  const entries: [number, string][] = Array.isArray(names)
    ? names.map((n, i) => [i, n] as [number, string])
    : Object.entries(names ?? { 0: "hand" }).map(([k, v]) => [Number(k), v] as [number, string]);
  if (entries.length === 0) throw new RangeError("at least one class name is needed");
  entries.sort((a, b) => a[0] - b[0]);
  entries.forEach(([id], i) => {
    if (id !== i) throw new RangeError("class ids must be 0, 1, 2, … without gaps");
  });
  const lines = [
    "# Phalanx hand-pose dataset, Ultralytics YOLO pose format.",
    "# Keypoints: 21 hand joints in MediaPipe / COCO-WholeBody order; v: 0 absent, 1 occluded, 2 visible.",
    "# flip_idx is the identity: hand joints have no left/right partners within a hand.",
    `path: ${q(path)}`,
    `train: ${q(splits.train)}`,
    `val: ${q(splits.val)}`,
  ];
  if (splits.test !== undefined) lines.push(`test: ${q(splits.test)}`);
  lines.push(
    "",
    `kpt_shape: [${JOINT_COUNT}, 3]`,
    `flip_idx: [${YOLO_HAND_FLIP_IDX.join(", ")}]`,
    "",
    "names:",
    ...entries.map(([id, n]) => `  ${id}: ${q(n)}`),
  );
  return lines.join("\n") + "\n";
}
