/**
 * Blur efficacy as DESIGN.md §3 rule 2 defines it, measured on the bytes that leave the app (the
 * decoded exported JPEG, thumbnail or preview) against the original at the same size:
 *
 *   for each placed fingertip with its distal joint placed, a disc centred 60 % of the way from the
 *   distal joint to the tip, radius 0.6 × |tip − distal joint| (at least 4 px); the variance of the
 *   Laplacian of the grey image inside it must drop by ≥ 95 %, or end at most 25 grey levels² (where
 *   the original disc held almost no detail to begin with).
 *
 * The one definition of that disc: the blur regions (./fingertip-regions) are sized from it so that it
 * lies inside the fully blurred area with a margin of one JPEG block. Pure: grey buffers in, numbers out.
 */
import type { TKeypointInput } from "../hand/schema";
import { DISTAL_OF_TIP, FINGERTIPS } from "../hand/skeleton";
import { regionMask, type Ellipse } from "./ellipse";
import { laplacianVarianceInMask } from "./sharpness";

export const EFFICACY = {
  /** Disc centre, as a share of the way from the distal joint to the tip. */
  discAlong: 0.6,
  /** Disc radius per |tip − distal joint|. */
  discPerLength: 0.6,
  discMinPx: 4,
  minDrop: 0.95,
  /** Grey levels²: a disc that ends this flat passes whatever it started with. */
  maxResidual: 25,
  /** One JPEG minimum coded unit with 4:2:0 chroma: ringing from an edge spreads within it. */
  jpegBlockPx: 16,
} as const;

export interface Disc {
  cx: number;
  cy: number;
  r: number;
}

type Pt = { x: number; y: number; state?: string };
const placed = (p: Pt | undefined): p is Pt =>
  !!p && p.state !== "absent" && Number.isFinite(p.x) && Number.isFinite(p.y);

/** The measured disc of one fingertip; null when the tip or its distal joint is not placed, or they coincide. */
export function efficacyDisc(tip: Pt | undefined, distal: Pt | undefined): Disc | null {
  if (!placed(tip) || !placed(distal)) return null;
  const length = Math.hypot(tip.x - distal.x, tip.y - distal.y);
  if (length <= 1e-6) return null;
  return {
    cx: distal.x + EFFICACY.discAlong * (tip.x - distal.x),
    cy: distal.y + EFFICACY.discAlong * (tip.y - distal.y),
    r: Math.max(EFFICACY.discMinPx, EFFICACY.discPerLength * length),
  };
}

export interface FingertipEfficacy {
  hand: number;
  joint: number;
  /** |tip − distal joint|, px of the measured image. */
  length: number;
  disc: Disc;
  /** Pixels measured (inside the disc and the image, 3×3 neighbourhood inside too). */
  pixels: number;
  before: number;
  after: number;
  /** 1 − after/before (0 when the original held no detail). */
  drop: number;
  pass: boolean;
}

/** The DESIGN criterion for one disc's Laplacian variance before and after. */
export function passesEfficacy(before: number, after: number): boolean {
  return after <= EFFICACY.maxResidual || (before > 0 && 1 - after / before >= EFFICACY.minDrop);
}

/**
 * Measures every fingertip of every hand: `original` and `output` are grey images of the same size,
 * the hands in that image's pixels. Fingertips without a disc, or whose disc misses the image, are
 * not listed.
 */
export function measureBlurEfficacy(
  original: Uint8Array,
  output: Uint8Array,
  width: number,
  height: number,
  hands: readonly { keypoints: readonly TKeypointInput[] }[],
): FingertipEfficacy[] {
  if (original.length !== width * height || output.length !== width * height)
    throw new RangeError("grey images must both be width × height");
  const results: FingertipEfficacy[] = [];
  hands.forEach((hand, handIndex) => {
    for (const joint of FINGERTIPS) {
      const tip = hand.keypoints[joint];
      const distal = hand.keypoints[DISTAL_OF_TIP[joint]!];
      const disc = efficacyDisc(tip, distal);
      if (!disc) continue;
      const mask = regionMask([{ cx: disc.cx, cy: disc.cy, rx: disc.r, ry: disc.r, angle: 0 }], width, height);
      const before = laplacianVarianceInMask(original, width, height, mask);
      if (before.count === 0) continue;
      const after = laplacianVarianceInMask(output, width, height, mask);
      results.push({
        hand: handIndex,
        joint,
        length: Math.hypot(tip!.x - distal!.x, tip!.y - distal!.y),
        disc,
        pixels: before.count,
        before: before.variance,
        after: after.variance,
        drop: before.variance > 0 ? 1 - after.variance / before.variance : 0,
        pass: passesEfficacy(before.variance, after.variance),
      });
    }
  });
  return results;
}

/**
 * PSNR (dB) between two interleaved images over the pixels outside every region grown by `growPx`
 * (all channels); Infinity when identical there. The blur promises ≥ 45 dB against an unblurred
 * re-encode outside twice the JPEG block margin.
 */
export function psnrOutside(
  a: Uint8Array,
  b: Uint8Array,
  width: number,
  height: number,
  channels: number,
  regions: readonly Ellipse[],
  growPx: number,
): { psnr: number; pixels: number } {
  if (a.length !== b.length || a.length !== width * height * channels)
    throw new RangeError("buffers differ in size or do not match width × height × channels");
  const grown = regions.map((e) => ({ ...e, rx: e.rx + growPx, ry: e.ry + growPx }));
  const mask = regionMask(grown, width, height);
  let sumSq = 0;
  let pixels = 0;
  for (let p = 0; p < width * height; p++) {
    if (mask[p]) continue;
    pixels++;
    for (let c = 0, o = p * channels; c < channels; c++) {
      const d = a[o + c]! - b[o + c]!;
      sumSq += d * d;
    }
  }
  if (pixels === 0 || sumSq === 0) return { psnr: Infinity, pixels };
  return { psnr: 10 * Math.log10((255 * 255) / (sumSq / (pixels * channels))), pixels };
}
