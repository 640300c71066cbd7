/**
 * MediaPipe Hands output → editable hands (pure; no browser, no model).
 *
 * MediaPipe gives, per detected hand, 21 landmarks in its own joint order — the order of DESIGN.md §1,
 * so index i is joint i — with x and y normalised to [0,1] of the image it was sent (any scale of the
 * stored original: the display rendition works as well) and a "Left"/"Right" label with a score.
 * That label assumes a mirrored selfie image: on ordinary photos it names the other hand. Phalanx
 * stores the person's anatomical hand, so the label is swapped unless the image is a mirrored selfie.
 */
import { z } from "zod";
import { bboxFromKeypoints } from "@/lib/hand/bbox";
import { ZImageSize, type TImageSize } from "@/lib/images/image-size";
import { ZHandView, type THand, type THandedness, type TKeypoint } from "@/lib/hand/schema";
import { JOINT_COUNT } from "@/lib/hand/skeleton";

/** The package these conversions are written against (its output format is stable across 0.4.x). */
export const MEDIAPIPE_HANDS_PACKAGE = "@mediapipe/hands";
export const MEDIAPIPE_HANDS_VERSION = "0.4.1675469240";

export type TMpLandmark = { x: number; y: number; z?: number; visibility?: number };
export type TMpHandedness = { index?: number; score: number; label: "Left" | "Right" | string };
/** The part of MediaPipe's `Results` that is converted (the image buffer is not). */
export type TMpResults = { multiHandLandmarks?: TMpLandmark[][] | null; multiHandedness?: TMpHandedness[] | null };

export type TConvertOptions = {
  /** The image is a mirrored selfie (MediaPipe's assumption): keep its label as it is. Default false. */
  mirrored?: boolean;
  /**
   * Below this handedness score the hand is left "unknown" for the annotator to decide. A binary
   * classifier's score is at least 0.5, so 0.5 would always trust it. Default 0.6.
   */
  minHandednessScore?: number;
  /**
   * A landmark at most this far outside the image (in pixels, or as a fraction of the image's larger
   * side when below 1) is pulled onto the border; farther out it is "absent" (DESIGN.md §1: outside the
   * image). Default 0.02 (2 %).
   */
  outsideTolerance?: number;
};

export type TDetectedHand = {
  hand: THand;
  /** MediaPipe's score for this hand (its handedness classification: the only per-hand score it returns), 0..1. */
  score: number;
  /** MediaPipe's own label, before the swap, for the record. */
  modelLabel: string;
};

const SWAP: Record<THandedness, THandedness> = { left: "right", right: "left", unknown: "unknown" };

/**
 * The person's anatomical hand from MediaPipe's label. On an ordinary (non-mirrored) photo the label is
 * the opposite hand; on a mirrored selfie it is right. An unrecognised label or a weak score → "unknown".
 */
export function anatomicalHandedness(
  label: string | undefined,
  score: number,
  options: TConvertOptions = {},
): THandedness {
  const minScore = options.minHandednessScore ?? 0.6;
  const named: THandedness =
    label?.toLowerCase() === "left" ? "left" : label?.toLowerCase() === "right" ? "right" : "unknown";
  if (named === "unknown" || !(score >= minScore)) return "unknown";
  return options.mirrored ? named : SWAP[named];
}

/** One normalised landmark → a keypoint in image pixels: clamped when just outside, absent when far outside or not a number. */
export function landmarkToKeypoint(
  landmark: TMpLandmark | undefined,
  image: TImageSize,
  options: TConvertOptions = {},
): TKeypoint {
  if (!landmark || !Number.isFinite(landmark.x) || !Number.isFinite(landmark.y)) return { x: 0, y: 0, state: "absent" };
  const tolerance = options.outsideTolerance ?? 0.02;
  const slack = tolerance < 1 ? tolerance * Math.max(image.width, image.height) : tolerance;
  const x = landmark.x * image.width;
  const y = landmark.y * image.height;
  if (x < -slack || y < -slack || x > image.width + slack || y > image.height + slack)
    return { x: 0, y: 0, state: "absent" };
  return { x: Math.min(image.width, Math.max(0, x)), y: Math.min(image.height, Math.max(0, y)), state: "visible" };
}

/** MediaPipe's results for one image → editable hands in that image's pixels, each with its score. */
export function resultsToHands(results: TMpResults, image: TImageSize, options: TConvertOptions = {}): TDetectedHand[] {
  if (!(image.width > 0 && image.height > 0))
    throw new Error(`image size must be positive, got ${image.width}×${image.height}`);
  const landmarkLists = results.multiHandLandmarks ?? [];
  const labels = results.multiHandedness ?? [];
  const detected: TDetectedHand[] = [];
  landmarkLists.forEach((landmarks, i) => {
    if (!Array.isArray(landmarks) || landmarks.length < JOINT_COUNT) return;
    // `index` in multiHandedness is documented as the hand's position in multiHandLandmarks; fall back to order.
    const label = labels.find((h) => h.index === i) ?? labels[i];
    const score = clamp01(label?.score);
    const keypoints = Array.from({ length: JOINT_COUNT }, (_, j) => landmarkToKeypoint(landmarks[j], image, options));
    if (keypoints.filter((p) => p.state !== "absent").length < 2) return;
    const hand: THand = {
      handedness: anatomicalHandedness(label?.label, score, options),
      keypoints,
      bbox: bboxFromKeypoints(keypoints, 0.1, image),
      bboxEdited: false,
      gesture: null,
      view: null,
      interaction: "none",
      truncated: keypoints.some((p) => p.state === "absent"),
      skinTone: null,
      attributes: {},
    };
    detected.push({ hand, score, modelLabel: label?.label ?? "" });
  });
  return detected;
}

const clamp01 = (value: number | undefined) => (Number.isFinite(value) ? Math.min(1, Math.max(0, value!)) : 0);
const round = (value: number, digits: number) => Number(value.toFixed(digits));

/**
 * What is stored beside a model-assisted annotation (Annotation.modelPrediction): the model's raw output
 * for the image, compactly — normalised landmarks (x, y, z rounded to 5 decimals), MediaPipe's labels and
 * scores — plus the options and the size of the image it was converted to.
 */
export const ZModelPrediction = z.object({
  model: z.string(),
  version: z.string(),
  options: z.record(z.string(), z.unknown()),
  image: ZImageSize,
  /** The rendition the model saw (the display image may be smaller than the original). */
  input: ZImageSize,
  ms: z.number(),
  at: z.string(),
  hands: z.array(
    z.object({
      /** MediaPipe's label (mirrored-selfie convention: "Left" is the person's right hand on an ordinary photo). */
      label: z.string(),
      score: z.number(),
      landmarks: z.array(z.tuple([z.number(), z.number(), z.number()])),
      /** How the hand was found: MediaPipe's palm detector (absent: older records) or region assist on a box. */
      via: z.enum(["detector", "region"]).optional(),
      /** Region assist: the network's presence score, 0..1 (below the threshold the landmarks are empty). */
      presence: z.number().optional(),
      /** Region assist: each joint's spread across rotations and a mirrored run, as a fraction of the box side. */
      uncertainty: z.array(z.number()).optional(),
      /** Region assist: the view its handedness and joints imply (lib/assist/view.ts), prefilled into the hand. */
      view: ZHandView.optional(),
    }),
  ),
});
export type TModelPrediction = z.infer<typeof ZModelPrediction>;

export function rawPrediction(
  results: TMpResults,
  meta: { options: Record<string, unknown>; image: TImageSize; input: TImageSize; ms: number; at?: Date },
): TModelPrediction {
  const lists = results.multiHandLandmarks ?? [];
  const labels = results.multiHandedness ?? [];
  return {
    model: MEDIAPIPE_HANDS_PACKAGE,
    version: MEDIAPIPE_HANDS_VERSION,
    options: meta.options,
    image: meta.image,
    input: meta.input,
    ms: Math.round(meta.ms),
    at: (meta.at ?? new Date()).toISOString(),
    hands: lists.map((landmarks, i) => {
      const label = labels.find((h) => h.index === i) ?? labels[i];
      return {
        label: label?.label ?? "",
        score: round(clamp01(label?.score), 4),
        landmarks: (landmarks ?? []).map(
          (p) => [round(p.x, 5), round(p.y, 5), round(p.z ?? 0, 5)] as [number, number, number],
        ),
      };
    }),
  };
}

type TBox = { x: number; y: number; width: number; height: number };

function iou(a: TBox, b: TBox): number {
  const w = Math.min(a.x + a.width, b.x + b.width) - Math.max(a.x, b.x);
  const h = Math.min(a.y + a.height, b.y + b.height) - Math.max(a.y, b.y);
  if (w <= 0 || h <= 0) return 0;
  const inter = w * h;
  return inter / (a.width * a.height + b.width * b.height - inter);
}

/**
 * The detections that are not already labelled: a detection whose box overlaps an existing hand's box
 * by more than `maxIou` (intersection over union) is that hand again, and is left out. So pressing
 * Detect after labelling one of two hands adds only the other, and pressing it twice adds nothing.
 */
export function newDetections(
  detected: TDetectedHand[],
  existing: readonly Pick<THand, "bbox">[],
  maxIou = 0.5,
): TDetectedHand[] {
  const boxes = existing.map((h) => h.bbox).filter((b): b is TBox => !!b && b.width > 0 && b.height > 0);
  return detected.filter(({ hand }) => !hand.bbox || boxes.every((box) => iou(box, hand.bbox!) <= maxIou));
}
