import "server-only";
/**
 * Fingertip blur for exported images (DESIGN.md §3 rule 2): every placed fingertip's pad is replaced
 * by a strongly Gaussian-blurred copy of itself; every other pixel is left exactly as decoded.
 *
 * How (libvips does the pixel work; the full image never crosses into JavaScript):
 *  1. Take the size from the caller (an image's stored size) or the header, and place the regions
 *     (lib/blur/fingertip-regions).
 *  2. One σ for the image: max(3 px, 0.35 × the shorter semi-axis) of its largest region, so every
 *     fingertip is blurred at least as strongly as its own size asks, all in one libvips call, and no
 *     seam between two different blurs ever falls inside a blurred area (a seam would itself be a sharp
 *     edge). A pad is ~0.7·L wide and ridges are ~0.45 mm apart in a ~16 mm pad, i.e. ~1/35 of its
 *     width; σ ≈ 0.3·L (ry = 0.85·L) is ~14 ridge periods, where a Gaussian keeps exp(−2π²·14²) ≈ 0 of
 *     the ridge signal: nothing survives 8-bit quantisation, so no deconvolution brings it back. The
 *     3 px floor is for small hands: a 4 px ridge period keeps exp(−2π²·3²/4²) ≈ 1.5e−5 at σ = 3.
 *  3. The blurred pixels come from one small decode of the rows the regions need (`regionDifference`),
 *     as a sparse difference image: decoded ⊕ blurred inside the ellipses (lib/blur/ellipse: all the
 *     way inside, or an optional ramp of `feather` px just inside the rim), 0 outside.
 *  4. One streaming pipeline: decode → orient → XOR the difference → encode. XOR with 0 leaves a pixel
 *     as it was, so pixels outside every region are byte-identical to the decoded original — checked on
 *     raw pixels by blurFingertipsRaw's callers, since JPEG blocks straddling a rim may differ after
 *     encoding. (A composite of blurred patches would do the same at ~3× the overhead: libvips adds and
 *     drops an alpha band over the whole image for it.) The JPEG carries no metadata at all (no EXIF,
 *     XMP, IPTC, ICC).
 */
import sharp, { type Sharp } from "sharp";
import { AppError } from "@/lib/errors/app-error";
import { ellipseAlpha, ellipseBounds, insideRun, type Ellipse, type PixelBounds } from "@/lib/blur/ellipse";
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
  /** The upright size, when the caller knows it (an image's stored width and height): saves reading the
   *  header; a file of another size is refused rather than blurred in the wrong places. */
  size?: { width: number; height: number };
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

/**
 * Decoded pixels are compared and changed only in the upright 8-bit sRGB frame every step shares
 * (`decoded`). The blur is one streaming libvips pipeline per output: decode → XOR with a sparse
 * difference image → encode; the difference is non-zero only inside the regions, where it turns each
 * decoded pixel into its blurred value, and zero elsewhere (XOR with 0 leaves a pixel exactly as decoded).
 * The difference comes from one small decode of the rows the regions need, blurred in one libvips call
 * (`regionDifference`).
 */
async function blurPipeline(input: Buffer, hands: readonly HandKeypoints[], options: BlurOptions) {
  const { width, height } = options.size ?? (await headerSize(input, options));
  const sigmaPerRadius = options.sigmaPerRadius ?? SIGMA_PER_RADIUS;
  const found = fingertipRegions(hands, { width, height }, options.geometry ?? FINGERTIP_GEOMETRY);
  const sigma = Math.max(options.minSigma ?? 3, ...found.map((r) => sigmaPerRadius * Math.min(r.rx, r.ry)));
  const regions = found.map((r): BlurRegion => ({ ...r, sigma }));
  const difference = await decodable(() => regionDifference(input, options, width, height, regions, sigma));
  const pipeline = difference
    ? decoded(input, options).boolean(difference.data, "eor", { raw: difference.raw })
    : decoded(input, options);
  return { pipeline, regions, width, height };
}

/** The upright size from the header (stored originals are already upright, so it is theirs). */
function headerSize(input: Buffer, options: BlurOptions) {
  return decodable(async () => {
    const meta = await sharp(input, { limitInputPixels: options.limitInputPixels ?? DEFAULT_MAX_PIXELS }).metadata();
    if (!meta.autoOrient?.width || !meta.autoOrient.height) throw new Error("no image size in the header");
    return meta.autoOrient;
  });
}

/** Fails when the decoded image is not the size the regions were placed in (a stale `size` option). */
function ensureSize(info: { width: number; height: number }, width: number, height: number) {
  if (info.width !== width || info.height !== height)
    throw new AppError(
      "invalid_input",
      `The image is ${info.width}×${info.height}, not the ${width}×${height} its fingertips were placed in`,
    );
}

/** Decodes, blurs every placed fingertip of every hand, and returns raw pixels before and after (for measuring). */
export async function blurFingertipsRaw(
  input: Buffer,
  hands: readonly HandKeypoints[],
  options: BlurOptions = {},
): Promise<RawBlurResult> {
  const { pipeline, regions, width, height } = await blurPipeline(input, hands, options);
  const [blurred, original] = await decodable(() =>
    Promise.all([
      pipeline.raw({ depth: "uchar" }).toBuffer({ resolveWithObject: true }),
      decoded(input, options).raw({ depth: "uchar" }).toBuffer(),
    ]),
  );
  ensureSize(blurred.info, width, height);
  return { original, blurred: blurred.data, width, height, channels: 3, regions };
}

/** The export rendition: fingertips blurred, JPEG, no metadata. */
export async function blurFingertips(
  input: Buffer,
  hands: readonly HandKeypoints[],
  options: BlurOptions = {},
): Promise<BlurResult> {
  const { pipeline, regions, width, height } = await blurPipeline(input, hands, options);
  const { data, info } = await decodable(() =>
    pipeline.jpeg(jpegSettings(options.quality)).toBuffer({ resolveWithObject: true }),
  );
  ensureSize(info, width, height);
  return { jpeg: data, regions, width, height };
}

/** Raw RGB → JPEG with the export settings. Raw input has no metadata, so neither has the output. */
export function encodeRawJpeg(
  raw: Buffer,
  width: number,
  height: number,
  quality = BLUR_JPEG_QUALITY,
): Promise<Buffer> {
  return sharp(raw, { raw: { width, height, channels: 3 } })
    .jpeg(jpegSettings(quality))
    .toBuffer();
}

function jpegSettings(quality = BLUR_JPEG_QUALITY) {
  return { quality: Math.min(100, Math.max(1, Math.round(quality))), mozjpeg: false };
}

/**
 * The input as every step sees it: upright (EXIF orientation applied), 8-bit sRGB from the start (grey,
 * 16-bit and colour-managed inputs alike, so the difference image applies to three 8-bit bands), alpha
 * flattened on white.
 */
function decoded(input: Buffer, options: BlurOptions): Sharp {
  return sharp(input, { failOn: "truncated", limitInputPixels: options.limitInputPixels ?? DEFAULT_MAX_PIXELS })
    .pipelineColourspace("srgb")
    .autoOrient()
    .flatten({ background: "#ffffff" })
    .toColourspace("srgb");
}

/** Runs a step that decodes the input; a decoder failure becomes a clear 400. */
async function decodable<T>(step: () => Promise<T>): Promise<T> {
  try {
    return await step();
  } catch (error) {
    if (error instanceof AppError) throw error;
    throw new AppError("invalid_input", `The image cannot be decoded for blurring: ${(error as Error).message}`);
  }
}

/** Smallest σ, in pixels of the shrunk source, at which the regions are blurred; below it the source is not shrunk. */
const MIN_SHRUNK_SIGMA = 3;

/**
 * The sparse difference image that blurs the regions when XORed onto the decoded image: interleaved RGB
 * from (0, 0) to the lowest, rightmost region pixel (libvips pads a smaller operand with zeros), holding
 * decoded ⊕ blurred inside the regions (a ramp with `feather`) and 0 everywhere else. Null without regions.
 *
 * 1. One decode of just the rows the regions and their blur context (3σ) reach, cropped to their box,
 *    at full size: the very pixels the final pipeline decodes, so the XOR lands on what it was made from.
 * 2. One blur of that crop in libvips. A Gaussian of σ ≫ 1 px keeps nothing a grid k px coarser could not
 *    hold, so the crop is first shrunk by k = 2, 4 or 8 and blurred with σ/k; the effective kernel is σ
 *    convolved with the k-px box of the shrink, never weaker than σ itself. k keeps σ/k ≥ MIN_SHRUNK_SIGMA,
 *    so the grid is smooth at every scale the efficacy measure looks at; small σ (small hands) blur at
 *    full size (k = 1).
 * 3. Inside the regions (lib/blur/ellipse decides which pixels), the blurred value is read back at full
 *    size (bilinear between the shrunk pixels' centres) and XORed with the decoded one.
 */
async function regionDifference(
  input: Buffer,
  options: BlurOptions,
  width: number,
  height: number,
  regions: readonly Ellipse[],
  sigma: number,
): Promise<{ data: Buffer; raw: { width: number; height: number; channels: 3 } } | null> {
  if (regions.length === 0) return null;
  const inner = unionBounds(regions.map((r) => ellipseBounds(r, width, height)!));
  const box = unionBounds(regions.map((r) => ellipseBounds(r, width, height, Math.ceil(3 * sigma))!));
  const [boxWidth, boxHeight] = [box.x1 - box.x0 + 1, box.y1 - box.y0 + 1];
  const crop = await decoded(input, options)
    .extract({ left: box.x0, top: box.y0, width: boxWidth, height: boxHeight })
    .raw({ depth: "uchar" })
    .toBuffer();
  const k = [8, 4, 2].find((factor) => sigma / factor >= MIN_SHRUNK_SIGMA) ?? 1;
  const [lowWidth, lowHeight] = [Math.ceil(boxWidth / k), Math.ceil(boxHeight / k)];
  const [sx, sy] = [boxWidth / lowWidth, boxHeight / lowHeight];
  const cropRaw = { raw: { width: boxWidth, height: boxHeight, channels: 3 as const } };
  const low = await (k === 1 ? sharp(crop, cropRaw) : sharp(crop, cropRaw).resize(lowWidth, lowHeight, { fit: "fill" }))
    .blur(sigma / Math.min(sx, sy))
    .raw()
    .toBuffer();

  const feather = options.feather ?? 0;
  const dw = inner.x1 + 1;
  const data = Buffer.alloc(dw * (inner.y1 + 1) * 3);
  // Bilinear weights between the centres of the shrunk pixels (k = 1: the pixel itself), per column.
  const column0 = new Int32Array(boxWidth);
  const column1 = new Int32Array(boxWidth);
  const columnWeight = new Float64Array(boxWidth);
  for (let bx = 0; bx < boxWidth; bx++) {
    const u = Math.min(lowWidth - 1, Math.max(0, (bx + 0.5) / sx - 0.5));
    column0[bx] = 3 * Math.floor(u);
    column1[bx] = 3 * Math.min(lowWidth - 1, Math.floor(u) + 1);
    columnWeight[bx] = u - Math.floor(u);
  }
  // Per row, the shrunk rows interpolated vertically first (only the shrunk columns the run reads), so that each
  // pixel takes one horizontal step per band: the same bilinear value at a third of the arithmetic.
  const between = new Float64Array(3 * lowWidth);
  for (const e of regions) {
    const b = ellipseBounds(e, width, height)!;
    for (let y = b.y0; y <= b.y1; y++) {
      const span = insideRun(e, y, b.x0, b.x1);
      if (!span) continue;
      const by = y - box.y0;
      const v = Math.min(lowHeight - 1, Math.max(0, (by + 0.5) / sy - 0.5));
      const row0 = 3 * Math.floor(v) * lowWidth;
      const row1 = 3 * Math.min(lowHeight - 1, Math.floor(v) + 1) * lowWidth;
      const fv = v - Math.floor(v);
      for (let i = column0[span.from - box.x0]!, last = column1[span.to - box.x0]! + 2; i <= last; i++)
        between[i] = low[row0 + i]! + fv * (low[row1 + i]! - low[row0 + i]!);
      // Overlapping regions write the same values twice.
      let o = 3 * (by * boxWidth + span.from - box.x0);
      let d = 3 * (y * dw + span.from);
      for (let x = span.from; x <= span.to; x++, o += 3, d += 3) {
        const bx = x - box.x0;
        const i0 = column0[bx]!;
        const i1 = column1[bx]!;
        const f = columnWeight[bx]!;
        const r = between[i0]! + f * (between[i1]! - between[i0]!);
        const g = between[i0 + 1]! + f * (between[i1 + 1]! - between[i0 + 1]!);
        const bl = between[i0 + 2]! + f * (between[i1 + 2]! - between[i0 + 2]!);
        if (feather > 0) {
          const a = blendWeight(regions, x, y, feather);
          data[d] = crop[o]! ^ Math.round(crop[o]! + a * (r - crop[o]!));
          data[d + 1] = crop[o + 1]! ^ Math.round(crop[o + 1]! + a * (g - crop[o + 1]!));
          data[d + 2] = crop[o + 2]! ^ Math.round(crop[o + 2]! + a * (bl - crop[o + 2]!));
        } else {
          // `| 0` rounds as Math.round does for these non-negative values.
          data[d] = crop[o]! ^ ((r + 0.5) | 0);
          data[d + 1] = crop[o + 1]! ^ ((g + 0.5) | 0);
          data[d + 2] = crop[o + 2]! ^ ((bl + 0.5) | 0);
        }
      }
    }
  }
  return { data, raw: { width: dw, height: inner.y1 + 1, channels: 3 } };
}

/** Blend weight (0–1) of pixel (x, y) with a feathered rim: the largest any region gives it. */
function blendWeight(regions: readonly Ellipse[], x: number, y: number, feather: number): number {
  return Math.max(...regions.map((r) => ellipseAlpha(r, x + 0.5, y + 0.5, feather)));
}

/** The smallest box holding all the boxes. */
function unionBounds(boxes: readonly PixelBounds[]): PixelBounds {
  return {
    x0: Math.min(...boxes.map((b) => b.x0)),
    y0: Math.min(...boxes.map((b) => b.y0)),
    x1: Math.max(...boxes.map((b) => b.x1)),
    y1: Math.max(...boxes.map((b) => b.y1)),
  };
}
