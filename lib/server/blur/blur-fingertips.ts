import "server-only";
/**
 * Fingertip blur for exported images (DESIGN.md §3 rule 2): every placed fingertip's pad is replaced
 * by a strongly Gaussian-blurred copy of itself; every other pixel is left exactly as decoded.
 *
 * How:
 *  1. Decode once to raw sRGB (EXIF orientation applied — stored originals are already oriented, so
 *     .rotate() is a no-op for them; alpha flattened on white).
 *  2. Group regions whose boxes touch (neighbouring fingertips overlap) and blur one crop per group,
 *     grown by 3σ so the blur sees real context rather than a clamped edge, with
 *     σ = max(3 px, 0.35 × the shorter semi-axis), the group's largest. One σ per group: a seam
 *     between two different blurs inside the blurred area would itself be a sharp edge.
 *     A pad is ~0.7·L wide and ridges are ~0.45 mm apart in a ~16 mm pad, i.e. ~1/35 of its width;
 *     σ ≈ 0.3·L (ry = 0.85·L) is ~14 ridge periods, where a Gaussian keeps exp(−2π²·14²) ≈ 0 of the
 *     ridge signal: nothing survives 8-bit quantisation, so no deconvolution brings it back. The
 *     3 px floor is for small hands: a 4 px ridge period keeps exp(−2π²·3²/4²) ≈ 1.5e−5 at σ = 3.
 *     Blurring crops rather than the whole image keeps 12-megapixel photos cheap.
 *  3. Mix each blurred crop into a copy of the raw image through its ellipses (lib/blur/ellipse:
 *     alpha 1 inside, an optional ramp of `feather` px just inside the rim, 0 outside), so pixels
 *     outside every region are byte-identical to the decoded original — checked on raw pixels by
 *     blurFingertipsRaw's callers, since JPEG blocks straddling a rim may differ after encoding.
 *  4. Encode once, from raw: the JPEG carries no metadata at all (no EXIF, XMP, IPTC, ICC).
 */
import sharp from "sharp";
import { AppError } from "@/lib/errors/app-error";
import { ellipseAlpha, ellipseBounds, type Ellipse, type PixelBounds } from "@/lib/blur/ellipse";
import {
  FINGERTIP_GEOMETRY,
  fingertipRegions,
  type FingertipRegion,
  type HandKeypoints,
  type RegionGeometry,
} from "@/lib/blur/fingertip-regions";

/** Export JPEG settings, as ingest's stored originals: libjpeg-turbo, quality 92, 4:2:0. */
export const BLUR_JPEG_QUALITY = 92;
export const DEFAULT_MAX_PIXELS = 100_000_000;
/** σ per shorter semi-axis: with regions ≥ disc + 16 px, what passed every fingertip after a q92 encode. */
export const SIGMA_PER_RADIUS = 0.35;

export interface BlurOptions {
  /** JPEG quality 1–100 (default 92). */
  quality?: number;
  /** Width in px of an alpha ramp just inside each ellipse's rim (default 0: a hard edge, so every
   *  pixel inside is fully blurred; the regions' generous margins keep the edge off the pad). */
  feather?: number;
  /** Gaussian σ as a fraction of the region's shorter semi-axis (default 0.35). */
  sigmaPerRadius?: number;
  /** Smallest σ in px (default 3). */
  minSigma?: number;
  /** Region geometry (default FINGERTIP_GEOMETRY). */
  geometry?: RegionGeometry;
  /** Decompression-bomb guard (default 100 megapixels). */
  limitInputPixels?: number;
}

export interface BlurRegion extends FingertipRegion {
  /** Gaussian σ used for this region, px. */
  sigma: number;
}

export interface RawBlurResult {
  /** Decoded, oriented sRGB pixels, interleaved RGB, before blurring. */
  original: Buffer;
  /** The same pixels with the fingertip regions blurred. */
  blurred: Buffer;
  width: number;
  height: number;
  channels: 3;
  regions: BlurRegion[];
}

export interface BlurResult {
  jpeg: Buffer;
  regions: BlurRegion[];
  width: number;
  height: number;
}

/** Decodes, blurs every placed fingertip of every hand, and returns raw pixels before and after. */
export async function blurFingertipsRaw(
  input: Buffer,
  hands: readonly HandKeypoints[],
  options: BlurOptions = {},
): Promise<RawBlurResult> {
  const { original, width, height } = await decodeRaw(input, options.limitInputPixels ?? DEFAULT_MAX_PIXELS);
  const sigmaPerRadius = options.sigmaPerRadius ?? SIGMA_PER_RADIUS;
  const minSigma = options.minSigma ?? 3;
  const feather = options.feather ?? 0;
  const found = fingertipRegions(hands, { width, height }, options.geometry ?? FINGERTIP_GEOMETRY);
  const groups = overlapGroups(found, width, height);
  const regions: BlurRegion[] = [];
  const blurred = Buffer.from(original);
  // Groups are disjoint, so their order does not matter; libvips blurs them in parallel.
  await Promise.all(
    groups.map(async (group) => {
      const sigma = Math.max(minSigma, ...group.map((r) => sigmaPerRadius * Math.min(r.rx, r.ry)));
      const crop = await blurredCrop(original, width, height, group, sigma);
      mixInside(blurred, width, height, group, crop, feather);
      for (const r of group) regions.push({ ...r, sigma });
    }),
  );
  regions.sort((p, q) => p.hand - q.hand || p.joint - q.joint);
  return { original, blurred, width, height, channels: 3, regions };
}

/** The export rendition: fingertips blurred, JPEG, no metadata. */
export async function blurFingertips(
  input: Buffer,
  hands: readonly HandKeypoints[],
  options: BlurOptions = {},
): Promise<BlurResult> {
  const raw = await blurFingertipsRaw(input, hands, options);
  const jpeg = await encodeRawJpeg(raw.blurred, raw.width, raw.height, options.quality);
  return { jpeg, regions: raw.regions, width: raw.width, height: raw.height };
}

/** Raw RGB → JPEG with the export settings. Raw input has no metadata, so neither has the output. */
export function encodeRawJpeg(
  raw: Buffer,
  width: number,
  height: number,
  quality = BLUR_JPEG_QUALITY,
): Promise<Buffer> {
  const q = Math.min(100, Math.max(1, Math.round(quality)));
  return sharp(raw, { raw: { width, height, channels: 3 } })
    .jpeg({ quality: q, mozjpeg: false })
    .toBuffer();
}

async function decodeRaw(input: Buffer, limitInputPixels: number) {
  try {
    const { data, info } = await sharp(input, { failOn: "truncated", limitInputPixels })
      .rotate()
      .flatten({ background: "#ffffff" })
      .toColourspace("srgb")
      .raw({ depth: "uchar" })
      .toBuffer({ resolveWithObject: true });
    if (info.channels !== 3) throw new Error(`expected 3 channels after decoding, got ${info.channels}`);
    return { original: data, width: info.width, height: info.height };
  } catch (error) {
    throw new AppError("invalid_input", `The image cannot be decoded for blurring: ${(error as Error).message}`);
  }
}

interface Crop {
  x0: number;
  y0: number;
  width: number;
  height: number;
  data: Buffer;
}

/**
 * Regions whose pixel boxes touch, grouped (union–find). Each group is blurred once with one σ (its
 * largest), so where neighbouring fingertips overlap there is no seam between two different blurs
 * inside the blurred area — a seam would itself be a sharp edge.
 */
function overlapGroups(regions: readonly FingertipRegion[], width: number, height: number): FingertipRegion[][] {
  const boxes = regions.map((r) => ellipseBounds(r, width, height)!);
  const parent = regions.map((_, i) => i);
  const root = (i: number): number => (parent[i] === i ? i : (parent[i] = root(parent[i]!)));
  for (let i = 0; i < regions.length; i++) {
    for (let j = i + 1; j < regions.length; j++) {
      const [a, b] = [boxes[i]!, boxes[j]!];
      if (a.x0 <= b.x1 && b.x0 <= a.x1 && a.y0 <= b.y1 && b.y0 <= a.y1) parent[root(i)] = root(j);
    }
  }
  const groups = new Map<number, FingertipRegion[]>();
  regions.forEach((r, i) => groups.set(root(i), [...(groups.get(root(i)) ?? []), r]));
  return [...groups.values()];
}

/** Union of the group's pixel boxes, grown by `margin` and clipped to the image. */
function groupBounds(group: readonly Ellipse[], width: number, height: number, margin = 0): PixelBounds {
  const boxes = group.map((r) => ellipseBounds(r, width, height, margin)!);
  return {
    x0: Math.min(...boxes.map((b) => b.x0)),
    y0: Math.min(...boxes.map((b) => b.y0)),
    x1: Math.max(...boxes.map((b) => b.x1)),
    y1: Math.max(...boxes.map((b) => b.y1)),
  };
}

/** The group's surroundings (boxes + 3σ, clipped to the image), Gaussian-blurred. */
async function blurredCrop(
  raw: Buffer,
  width: number,
  height: number,
  group: readonly Ellipse[],
  sigma: number,
): Promise<Crop> {
  const box = groupBounds(group, width, height, Math.ceil(3 * sigma));
  const w = box.x1 - box.x0 + 1;
  const h = box.y1 - box.y0 + 1;
  const rows = Buffer.allocUnsafe(w * h * 3);
  for (let j = 0; j < h; j++) {
    const from = ((box.y0 + j) * width + box.x0) * 3;
    raw.copy(rows, j * w * 3, from, from + w * 3);
  }
  const data = await sharp(rows, { raw: { width: w, height: h, channels: 3 } })
    .blur(sigma)
    .raw()
    .toBuffer();
  return { x0: box.x0, y0: box.y0, width: w, height: h, data };
}

/** out ← out + (blurred − out) · alpha, alpha the largest of the group's ellipses (0 outside all). */
function mixInside(
  out: Buffer,
  width: number,
  height: number,
  group: readonly Ellipse[],
  crop: Crop,
  feather: number,
): void {
  const box = groupBounds(group, width, height); // inside the crop, which is this box grown by 3σ
  for (let j = box.y0; j <= box.y1; j++) {
    for (let i = box.x0; i <= box.x1; i++) {
      let a = 0;
      for (const e of group) a = Math.max(a, ellipseAlpha(e, i + 0.5, j + 0.5, feather));
      if (a <= 0) continue;
      const o = (j * width + i) * 3;
      const b = ((j - crop.y0) * crop.width + (i - crop.x0)) * 3;
      for (let c = 0; c < 3; c++) {
        out[o + c] = a >= 1 ? crop.data[b + c]! : Math.round(out[o + c]! + (crop.data[b + c]! - out[o + c]!) * a);
      }
    }
  }
}
