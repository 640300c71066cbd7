/**
 * Region assist (pure; no browser, no model): the hand-landmark network run directly on a box the annotator
 * drew (or on a hand the palm detector found), without MediaPipe's palm detector — which misses small and
 * interacting hands.
 *
 * The network (public/models/handlandmark, PROVENANCE.md there) sees a 224×224 RGB crop in 0..1 and returns
 * 21×(x, y, z) in crop pixels, a presence score and a handedness score (both sigmoid; handedness above 0.5 =
 * the person's right hand on an unmirrored photo). It expects an upright hand (wrist below the fingers), so:
 *   1. a square crop of CROP_SCALE × the box's longer side, centred on the box, is tried at 4 rotations and
 *      the one with the highest presence kept;
 *   2. that skeleton gives the hand's own axis (wrist → knuckles) and extent: REFINE_PASSES more runs, each on
 *      a crop aligned with and framed on the previous run's palm and proximal joints, exactly as MediaPipe's
 *      tracker crops from frame to frame (alignedCrop), refine the joints;
 *   3. the same aligned crop mirrored horizontally gives a second opinion: the kept joints are the two runs'
 *      presence-weighted mean, the spread of each joint over the confident runs is its uncertainty (a
 *      fraction of the box side), and the flip's handedness (inverted) is averaged with the upright one.
 * Below PRESENCE_THRESHOLD the hand is "needs manual labelling": no joints are guessed.
 *
 * The network runs behind TLandmarkNet (lib/assist/landmark-runner.ts loads it with TensorFlow.js, in Node
 * for the bench and in the browser for the workspace); everything here is arithmetic on plain arrays.
 */
import { bboxFromKeypoints } from "@/lib/hand/bbox";
import type { THand, THandedness, THandView, TKeypoint } from "@/lib/hand/schema";
import { JOINT_COUNT, WRIST } from "@/lib/hand/skeleton";
import type { TImageSize } from "@/lib/images/image-size";
import { suggestView } from "./view";

export const NET_SIZE = 224;
/** The crop's side as a multiple of the box's longer side. */
export const CROP_SCALE = 1.6;
/** The aligned (second) crop's side as a multiple of the skeleton's extent across its axis (MediaPipe: 2). */
export const ALIGNED_SCALE = 2;
/** Rotations tried on the first pass (radians; the crop is turned by this angle in the image). */
export const ROTATIONS = [0, Math.PI / 2, Math.PI, (3 * Math.PI) / 2] as const;
/** Aligned re-crops after the rotation search (each framed on the previous one's joints). */
export const REFINE_PASSES = 2;
/** Below this presence the hand is marked for manual labelling instead of guessed. */
export const PRESENCE_THRESHOLD = 0.5;
/** A joint whose spread across the runs exceeds this fraction of the box side is "likely wrong". */
export const UNCERTAIN_ABOVE = 0.04;
/** Handedness is left "unknown" unless the network is at least this sure (either way). */
export const MIN_HANDEDNESS_CONFIDENCE = 0.6;

const MIDDLE_MCP = 9;
const INDEX_MCP = 5;
const RING_MCP = 13;

export type TPoint = { x: number; y: number };
export type TBox = { x: number; y: number; width: number; height: number };

/** A square crop of the image: centre, side (image px), rotation (radians) and whether it is mirrored. */
export type TCrop = { cx: number; cy: number; side: number; angle: number; flip: boolean };

/** Decoded pixels, row-major, 3 (RGB) or 4 (RGBA) channels of 0..255. */
export type TPixels = { data: ArrayLike<number>; width: number; height: number; channels: 3 | 4 };

/** The network's raw output for one crop. */
export type TNetOutput = { landmarks: ArrayLike<number>; presence: number; handedness: number };

/** The network behind a small interface, so the bench (Node) and the workspace (browser) share this file. */
export type TLandmarkNet = { infer(input: Float32Array): Promise<TNetOutput> };

/** One run: its crop, the joints back in image pixels, and the scores. */
export type TRun = { crop: TCrop; points: TPoint[]; presence: number; handedness: number };

export type TRegionResult = {
  box: TBox;
  /** Presence of the kept run, 0..1. */
  presence: number;
  confident: boolean;
  /** Probability that this is the person's right hand (unmirrored photo), 0..1. */
  rightScore: number;
  /** The kept joints (image px); empty when not confident. */
  points: TPoint[];
  /** Per joint: spread across the confident runs as a fraction of the box side (empty when not confident). */
  uncertainty: number[];
  runs: number;
  ms: number;
};

/** A default box centred on a click: the median size of the image's labelled hands, else 15 % of its longer side. */
export function defaultBoxAt(point: TPoint, image: TImageSize, handSides: readonly number[] = []): TBox {
  const sides = handSides.filter((s) => s > 0).sort((a, b) => a - b);
  const side = sides.length ? sides[Math.floor(sides.length / 2)]! : 0.15 * Math.max(image.width, image.height);
  return { x: point.x - side / 2, y: point.y - side / 2, width: side, height: side };
}

/** A box from two corners of a drag (any direction). */
export function boxFromDrag(a: TPoint, b: TPoint): TBox {
  return { x: Math.min(a.x, b.x), y: Math.min(a.y, b.y), width: Math.abs(a.x - b.x), height: Math.abs(a.y - b.y) };
}

export function cropForBox(box: TBox, angle = 0, scale = CROP_SCALE): TCrop {
  if (!(box.width > 0 && box.height > 0))
    throw new Error(`a box needs a positive size, got ${box.width}×${box.height}`);
  return {
    cx: box.x + box.width / 2,
    cy: box.y + box.height / 2,
    side: scale * Math.max(box.width, box.height),
    angle,
    flip: false,
  };
}

/** Crop pixel (u, v) of the NET_SIZE crop → image pixel. */
export function cropToImage(crop: TCrop, u: number, v: number, size = NET_SIZE): TPoint {
  const k = crop.side / size;
  const du = (u - size / 2) * k * (crop.flip ? -1 : 1);
  const dv = (v - size / 2) * k;
  const c = Math.cos(crop.angle);
  const s = Math.sin(crop.angle);
  return { x: crop.cx + c * du - s * dv, y: crop.cy + s * du + c * dv };
}

/** Image pixel → crop pixel (the inverse of cropToImage). */
export function imageToCrop(crop: TCrop, x: number, y: number, size = NET_SIZE): TPoint {
  const k = crop.side / size;
  const dx = x - crop.cx;
  const dy = y - crop.cy;
  const c = Math.cos(crop.angle);
  const s = Math.sin(crop.angle);
  const du = c * dx + s * dy;
  const dv = -s * dx + c * dy;
  return { x: (du / k) * (crop.flip ? -1 : 1) + size / 2, y: dv / k + size / 2 };
}

/** The crop as the network's input: size×size×3 RGB in 0..1, bilinear, black outside the image. */
export function sampleCrop(pixels: TPixels, crop: TCrop, size = NET_SIZE): Float32Array {
  const { data, width, height, channels } = pixels;
  if (data.length < width * height * channels) throw new Error("pixel data is shorter than width × height × channels");
  const out = new Float32Array(size * size * 3);
  const origin = cropToImage(crop, 0.5, 0.5, size);
  const right = cropToImage(crop, 1.5, 0.5, size);
  const down = cropToImage(crop, 0.5, 1.5, size);
  const ux = right.x - origin.x;
  const uy = right.y - origin.y;
  const vx = down.x - origin.x;
  const vy = down.y - origin.y;
  let o = 0;
  for (let v = 0; v < size; v++) {
    for (let u = 0; u < size; u++, o += 3) {
      // Pixel centres: image pixel i covers [i, i+1), its value sits at i + 0.5.
      const x = origin.x + u * ux + v * vx - 0.5;
      const y = origin.y + u * uy + v * vy - 0.5;
      const x0 = Math.floor(x);
      const y0 = Math.floor(y);
      const fx = x - x0;
      const fy = y - y0;
      for (let ch = 0; ch < 3; ch++) {
        let acc = 0;
        for (let j = 0; j < 2; j++) {
          const yy = y0 + j;
          if (yy < 0 || yy >= height) continue;
          const wy = j ? fy : 1 - fy;
          for (let i = 0; i < 2; i++) {
            const xx = x0 + i;
            if (xx < 0 || xx >= width) continue;
            acc += (i ? fx : 1 - fx) * wy * data[(yy * width + xx) * channels + ch]!;
          }
        }
        out[o + ch] = acc / 255;
      }
    }
  }
  return out;
}

/** The network's landmarks (crop px) → image pixels. */
export function unrotate(crop: TCrop, landmarks: ArrayLike<number>, size = NET_SIZE): TPoint[] {
  if (landmarks.length < JOINT_COUNT * 3)
    throw new Error(`expected ${JOINT_COUNT * 3} landmark values, got ${landmarks.length}`);
  return Array.from({ length: JOINT_COUNT }, (_, j) =>
    cropToImage(crop, landmarks[3 * j]!, landmarks[3 * j + 1]!, size),
  );
}

/** The joints MediaPipe's tracker frames the next crop on: wrist, thumb base, each finger's MCP and PIP (no tips). */
export const FRAMING_JOINTS = [0, 1, 2, 3, 5, 6, 9, 10, 13, 14, 17, 18] as const;
/** The aligned crop's shift towards the fingers, as a fraction of the framed extent (MediaPipe: 0.1). */
export const ALIGNED_SHIFT = 0.1;

/**
 * The crop aligned with a skeleton, as MediaPipe's tracker makes it from the previous frame's landmarks:
 * rotated so the wrist → knuckles axis points up in the crop, framed on the palm and the proximal joints
 * (FRAMING_JOINTS), shifted ALIGNED_SHIFT towards the fingers, side ALIGNED_SCALE × the framed extent's
 * longer side.
 */
export function alignedCrop(points: readonly TPoint[], scale = ALIGNED_SCALE, shift = ALIGNED_SHIFT): TCrop {
  const wrist = points[WRIST]!;
  // The knuckle line's middle, weighted towards the middle finger as MediaPipe does.
  const mid = points[MIDDLE_MCP]!;
  const across = {
    x: (points[INDEX_MCP]!.x + points[RING_MCP]!.x) / 2,
    y: (points[INDEX_MCP]!.y + points[RING_MCP]!.y) / 2,
  };
  const target = { x: (mid.x + across.x) / 2, y: (mid.y + across.y) / 2 };
  // Crop "up" (−v) must map to wrist → target: direction in image of −v is (sin a, −cos a).
  const angle = Math.atan2(target.x - wrist.x, -(target.y - wrist.y));
  const c = Math.cos(angle);
  const s = Math.sin(angle);
  let minU = Infinity;
  let maxU = -Infinity;
  let minV = Infinity;
  let maxV = -Infinity;
  for (const j of FRAMING_JOINTS) {
    const p = points[j]!;
    const u = c * p.x + s * p.y;
    const v = -s * p.x + c * p.y;
    minU = Math.min(minU, u);
    maxU = Math.max(maxU, u);
    minV = Math.min(minV, v);
    maxV = Math.max(maxV, v);
  }
  const cu = (minU + maxU) / 2;
  const cv = (minV + maxV) / 2 - shift * (maxV - minV);
  return {
    cx: c * cu - s * cv,
    cy: s * cu + c * cv,
    side: Math.max(1, scale * Math.max(maxU - minU, maxV - minV)),
    angle,
    flip: false,
  };
}

async function runOnce(net: TLandmarkNet, pixels: TPixels, crop: TCrop): Promise<TRun> {
  const output = await net.infer(sampleCrop(pixels, crop));
  return {
    crop,
    points: unrotate(crop, output.landmarks),
    presence: clamp01(output.presence),
    // A mirrored crop shows the other hand: its handedness is inverted back to the photo's.
    handedness: crop.flip ? 1 - clamp01(output.handedness) : clamp01(output.handedness),
  };
}

/** Median joint distance of a run to the annotator's joints (the ones already placed), in px. */
function anchorError(points: readonly TPoint[], anchors: readonly (TPoint | null)[]): number | null {
  const d = anchors.flatMap((a, j) => (a ? [Math.hypot(points[j]!.x - a.x, points[j]!.y - a.y)] : []));
  if (d.length === 0) return null;
  d.sort((a, b) => a - b);
  return d[Math.floor(d.length / 2)]!;
}

export type TRegionOptions = {
  rotations?: readonly number[];
  /** Run the aligned refinement and the mirrored second opinion (default true). */
  refine?: boolean;
  /** Joints the annotator already placed (null where not): the run that agrees with them best is kept. */
  anchors?: readonly (TPoint | null)[];
  presenceThreshold?: number;
  now?: () => number;
};

/** Labels the hand in `box` (pixels of `pixels`): rotation search, refinement, uncertainty. */
export async function labelRegion(
  net: TLandmarkNet,
  pixels: TPixels,
  box: TBox,
  options: TRegionOptions = {},
): Promise<TRegionResult> {
  const now = options.now ?? (() => performance.now());
  const started = now();
  const threshold = options.presenceThreshold ?? PRESENCE_THRESHOLD;
  const side = Math.max(box.width, box.height);
  const runs: TRun[] = [];
  for (const angle of options.rotations ?? ROTATIONS) runs.push(await runOnce(net, pixels, cropForBox(box, angle)));
  const anchors = options.anchors?.some(Boolean) ? options.anchors : undefined;
  const rank = (run: TRun) => {
    if (!anchors) return run.presence;
    const error = anchorError(run.points, anchors);
    return error === null ? run.presence : run.presence - error / side;
  };
  let best = runs.reduce((a, b) => (rank(b) > rank(a) ? b : a));
  const confidentRuns = () => runs.filter((r) => r.presence >= threshold);
  let final: TRun[] = [best];
  if (best.presence >= threshold && options.refine !== false) {
    // As MediaPipe's tracker does from frame to frame: re-crop on the hand as found, twice.
    for (let i = 0; i < REFINE_PASSES; i++) {
      const refined = await runOnce(net, pixels, alignedCrop(best.points));
      runs.push(refined);
      if (refined.presence >= threshold && (!anchors || rank(refined) >= rank(best))) best = refined;
    }
    const mirrored = await runOnce(net, pixels, { ...best.crop, flip: true });
    runs.push(mirrored);
    final = [best, mirrored];
  }
  const confident = best.presence >= threshold;
  const agreeing = confidentRuns().filter((r) => medianDistance(r.points, best.points) < 0.25 * side);
  // The aligned run and its mirror image, averaged: the network's errors on the two differ.
  const averaged = final.filter((r) => agreeing.includes(r));
  const kept = averaged.length > 1 ? weightedMean(averaged) : best.points;
  const rightScore = confident
    ? mean(agreeing.filter((r) => r.crop === best.crop || r.crop.flip).map((r) => r.handedness))
    : best.handedness;
  return {
    box,
    presence: best.presence,
    confident,
    rightScore: Number.isFinite(rightScore) ? rightScore : best.handedness,
    points: confident ? kept : [],
    uncertainty: confident ? jointSpread(kept, agreeing, side) : [],
    runs: runs.length,
    ms: now() - started,
  };
}

/** Per joint, the runs' points averaged with their presences as weights. */
function weightedMean(runs: readonly TRun[]): TPoint[] {
  const total = runs.reduce((a, r) => a + r.presence, 0);
  return runs[0]!.points.map((_, j) => ({
    x: runs.reduce((a, r) => a + r.presence * r.points[j]!.x, 0) / total,
    y: runs.reduce((a, r) => a + r.presence * r.points[j]!.y, 0) / total,
  }));
}

/** Per joint: root-mean-square distance of the other runs' joint to the kept one, as a fraction of `side`. */
export function jointSpread(kept: readonly TPoint[], runs: readonly Pick<TRun, "points">[], side: number): number[] {
  return kept.map((p, j) => {
    const others = runs.map((r) => r.points[j]!).filter((q) => q !== p);
    if (others.length === 0 || !(side > 0)) return 0;
    const ms = others.reduce((acc, q) => acc + (q.x - p.x) ** 2 + (q.y - p.y) ** 2, 0) / others.length;
    return round(Math.sqrt(ms) / side, 4);
  });
}

function medianDistance(a: readonly TPoint[], b: readonly TPoint[]): number {
  const d = a.map((p, j) => Math.hypot(p.x - b[j]!.x, p.y - b[j]!.y)).sort((x, y) => x - y);
  return d[Math.floor(d.length / 2)]!;
}

/** The person's hand from the network's right-hand score; "unknown" unless it is sure enough either way. */
export function handednessFromScore(rightScore: number, minConfidence = MIN_HANDEDNESS_CONFIDENCE): THandedness {
  if (rightScore >= minConfidence) return "right";
  if (rightScore <= 1 - minConfidence) return "left";
  return "unknown";
}

/** Joints more uncertain than UNCERTAIN_ABOVE, most uncertain first: where to look (and Tab's first stops). */
export function likelyWrongJoints(uncertainty: readonly number[], above = UNCERTAIN_ABOVE): number[] {
  return uncertainty
    .map((u, j) => ({ u, j }))
    .filter(({ u }) => u > above)
    .sort((a, b) => b.u - a.u)
    .map(({ j }) => j);
}

/** A confident result → keypoints in image pixels: joints outside the image (beyond 2 %) are absent. */
export function resultKeypoints(result: TRegionResult, image: TImageSize): TKeypoint[] {
  const slack = 0.02 * Math.max(image.width, image.height);
  return Array.from({ length: JOINT_COUNT }, (_, j) => {
    const p = result.points[j];
    if (!p || !Number.isFinite(p.x) || !Number.isFinite(p.y)) return { x: 0, y: 0, state: "absent" as const };
    if (p.x < -slack || p.y < -slack || p.x > image.width + slack || p.y > image.height + slack)
      return { x: 0, y: 0, state: "absent" as const };
    return {
      x: round(Math.min(image.width, Math.max(0, p.x)), 2),
      y: round(Math.min(image.height, Math.max(0, p.y)), 2),
      state: "visible" as const,
    };
  });
}

/** The view a confident result implies (lib/assist/view.ts); null when not confident or the hand is unknown. */
export function resultView(result: TRegionResult, image: TImageSize): THandView | null {
  if (!result.confident) return null;
  return suggestView({ keypoints: resultKeypoints(result, image) }, handednessFromScore(result.rightScore));
}

/** A confident result → a new editable hand, its view suggested (lib/assist/view.ts). */
export function resultToHand(result: TRegionResult, image: TImageSize): THand {
  if (!result.confident) throw new Error("the network is not confident there is a hand in this box: label it by hand");
  const keypoints = resultKeypoints(result, image);
  const handedness = handednessFromScore(result.rightScore);
  return {
    handedness,
    keypoints,
    bbox: bboxFromKeypoints(keypoints, 0.1, image),
    bboxEdited: false,
    gesture: null,
    view: suggestView({ keypoints }, handedness),
    interaction: "none",
    truncated: keypoints.some((p) => p.state === "absent"),
    skinTone: null,
    attributes: {},
  };
}

/**
 * A partially labelled hand completed from a result: the annotator's joints stay, only absent joints are
 * filled. The handedness and the view are filled only when they were not set.
 */
export function completeHand(hand: THand, result: TRegionResult, image: TImageSize): THand {
  if (!result.confident) return hand;
  const proposed = resultKeypoints(result, image);
  const keypoints = hand.keypoints.map((p, j) => (p.state === "absent" ? proposed[j]! : p));
  const handedness = hand.handedness === "unknown" ? handednessFromScore(result.rightScore) : hand.handedness;
  return {
    ...hand,
    handedness,
    keypoints,
    view: hand.view ?? suggestView({ keypoints }, handedness),
    bbox: hand.bboxEdited ? hand.bbox : bboxFromKeypoints(keypoints, 0.1, image),
  };
}

/**
 * The box to run the network on for a partially labelled hand: around its placed joints, at least the size a
 * whole hand would be (`minSide`) so the network sees the fingers that are not placed yet.
 */
export function boxForPartialHand(hand: Pick<THand, "keypoints">, minSide: number): TBox | null {
  const placed = hand.keypoints.filter((p) => p.state !== "absent");
  if (placed.length === 0) return null;
  const xs = placed.map((p) => p.x);
  const ys = placed.map((p) => p.y);
  const cx = (Math.min(...xs) + Math.max(...xs)) / 2;
  const cy = (Math.min(...ys) + Math.max(...ys)) / 2;
  const side = Math.max(minSide, Math.max(...xs) - Math.min(...xs), Math.max(...ys) - Math.min(...ys));
  return { x: cx - side / 2, y: cy - side / 2, width: side, height: side };
}

const clamp01 = (value: number) => (Number.isFinite(value) ? Math.min(1, Math.max(0, value)) : 0);
const round = (value: number, digits: number) => Number(value.toFixed(digits));
const mean = (values: number[]) => values.reduce((a, b) => a + b, 0) / values.length;
