import "server-only";
/**
 * Fingertip blur for exported images (DESIGN.md §3 rule 2): every placed fingertip's pad is replaced
 * by a strongly Gaussian-blurred copy of itself; every other pixel is left exactly as decoded.
 *
 * How (libvips does the pixel work; the full image never crosses into JavaScript):
 *  1. Read the size from the header (EXIF orientation applied — stored originals are already
 *     oriented, so it is a no-op for them), and place the regions (lib/blur/fingertip-regions).
 *  2. Group regions whose boxes touch (neighbouring fingertips overlap) and blur one patch per group,
 *     grown by 3σ so the blur sees real context rather than a clamped edge, with
 *     σ = max(3 px, 0.35 × the shorter semi-axis), the group's largest. One σ per group: a seam
 *     between two different blurs inside the blurred area would itself be a sharp edge.
 *     A pad is ~0.7·L wide and ridges are ~0.45 mm apart in a ~16 mm pad, i.e. ~1/35 of its width;
 *     σ ≈ 0.3·L (ry = 0.85·L) is ~14 ridge periods, where a Gaussian keeps exp(−2π²·14²) ≈ 0 of the
 *     ridge signal: nothing survives 8-bit quantisation, so no deconvolution brings it back. The
 *     3 px floor is for small hands: a 4 px ridge period keeps exp(−2π²·3²/4²) ≈ 1.5e−5 at σ = 3.
 *     The patches come from one small decode, shrunk on load where σ allows (`blurredPatches`).
 *  3. Each patch carries its ellipses as alpha (lib/blur/ellipse: 255 inside, an optional ramp of
 *     `feather` px just inside the rim, 0 outside).
 *  4. One streaming pipeline: decode → orient → composite the patches → encode. Pixels outside every
 *     region are byte-identical to the decoded original — checked on raw pixels by blurFingertipsRaw's
 *     callers, since JPEG blocks straddling a rim may differ after encoding. The JPEG carries no
 *     metadata at all (no EXIF, XMP, IPTC, ICC).
 */
import sharp, { type Sharp } from "sharp";
import { AppError } from "@/lib/errors/app-error";
import { alphaMask, ellipseBounds, type Ellipse, type PixelBounds } from "@/lib/blur/ellipse";
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

/**
 * The blur as one libvips pipeline per output: the input streams through decode → orient → composite
 * of one masked, blurred patch per group → encode, so the full image never crosses into JavaScript.
 * The patches come from one small decode of just the rows above the lowest region, shrunk on load
 * (see `blurredPatches`).
 */
async function blurPipeline(input: Buffer, hands: readonly HandKeypoints[], options: BlurOptions) {
  const open = () => decoded(input, options);
  const { width, height } = await decodable(async () => {
    const meta = await sharp(input, { limitInputPixels: options.limitInputPixels ?? DEFAULT_MAX_PIXELS }).metadata();
    if (!meta.autoOrient?.width || !meta.autoOrient.height) throw new Error("no image size in the header");
    return meta.autoOrient;
  });
  const sigmaPerRadius = options.sigmaPerRadius ?? SIGMA_PER_RADIUS;
  const minSigma = options.minSigma ?? 3;
  const found = fingertipRegions(hands, { width, height }, options.geometry ?? FINGERTIP_GEOMETRY);
  const groups = overlapGroups(found, width, height).map((group) => ({
    group,
    sigma: Math.max(minSigma, ...group.map((r) => sigmaPerRadius * Math.min(r.rx, r.ry))),
  }));
  const patches = await decodable(() => blurredPatches(open, width, height, groups, options.feather ?? 0));
  const regions = groups
    .flatMap(({ group, sigma }) => group.map((r): BlurRegion => ({ ...r, sigma })))
    .sort((p, q) => p.hand - q.hand || p.joint - q.joint);
  const composited = open().composite(
    patches.map((patch) => ({
      input: patch.data,
      raw: { width: patch.width, height: patch.height, channels: 4 },
      left: patch.x0,
      top: patch.y0,
    })),
  );
  // Compositing adds an alpha band (opaque everywhere): dropped, rather than flattened by the encoder.
  const pipeline = patches.length > 0 ? composited.removeAlpha() : composited;
  return { pipeline, regions, width, height };
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
      pipeline.raw({ depth: "uchar" }).toBuffer(),
      decoded(input, options).raw({ depth: "uchar" }).toBuffer(),
    ]),
  );
  return { original, blurred, width, height, channels: 3, regions };
}

/** The export rendition: fingertips blurred, JPEG, no metadata. */
export async function blurFingertips(
  input: Buffer,
  hands: readonly HandKeypoints[],
  options: BlurOptions = {},
): Promise<BlurResult> {
  const { pipeline, regions, width, height } = await blurPipeline(input, hands, options);
  const jpeg = await decodable(() => pipeline.jpeg(jpegSettings(options.quality)).toBuffer());
  return { jpeg, regions, width, height };
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

/** The input as every step sees it: upright (EXIF orientation applied), alpha flattened on white, sRGB. */
function decoded(input: Buffer, options: BlurOptions): Sharp {
  return sharp(input, { failOn: "truncated", limitInputPixels: options.limitInputPixels ?? DEFAULT_MAX_PIXELS })
    .autoOrient()
    .flatten({ background: "#ffffff" })
    .toColourspace("srgb");
}

/** Runs a step that decodes the input; a decoder failure becomes a clear 400. */
async function decodable<T>(step: () => Promise<T>): Promise<T> {
  try {
    return await step();
  } catch (error) {
    throw new AppError("invalid_input", `The image cannot be decoded for blurring: ${(error as Error).message}`);
  }
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

/** Smallest σ, in pixels of the shrunk source, at which a patch is blurred; below it the source is not shrunk. */
const MIN_SHRUNK_SIGMA = 3;

interface Patch {
  x0: number;
  y0: number;
  width: number;
  height: number;
  /** Interleaved RGBA: the blurred pixels, alpha 255 inside the group's ellipses (a ramp with `feather`), 0 outside. */
  data: Buffer;
}

/**
 * One RGBA patch per group, to composite over the decoded image.
 *
 * A Gaussian of σ ≫ 1 px keeps nothing a grid k px coarser could not hold, so the source is decoded
 * once, shrunk on load by k = 2, 4 or 8 (JPEG scales in its DCT, WebP in its decoder: a fraction of a
 * full decode), as far down as the lowest region reaches; each group is blurred there with σ/k and
 * enlarged back. The effective kernel is σ convolved with the k-px box of the shrink: never weaker
 * than σ itself. k keeps σ/k ≥ MIN_SHRUNK_SIGMA, so the enlarged patch is smooth at every scale the
 * efficacy measure looks at; small σ (small hands) decode at full size (k = 1).
 */
async function blurredPatches(
  open: () => Sharp,
  width: number,
  height: number,
  groups: readonly { group: readonly Ellipse[]; sigma: number }[],
  feather: number,
): Promise<Patch[]> {
  if (groups.length === 0) return [];
  const minSigma = Math.min(...groups.map((g) => g.sigma));
  const k = [8, 4, 2].find((factor) => minSigma / factor >= MIN_SHRUNK_SIGMA) ?? 1;
  const lw = Math.ceil(width / k);
  const lh = Math.ceil(height / k);
  const [sx, sy] = [width / lw, height / lh];
  // Each group's surroundings (its boxes + 3σ) in the shrunk image, and their union.
  const boxes = groups.map(({ group, sigma }) => {
    const box = groupBounds(group, width, height, Math.ceil(3 * sigma));
    return {
      x0: Math.floor(box.x0 / sx),
      y0: Math.floor(box.y0 / sy),
      x1: Math.min(lw - 1, Math.floor(box.x1 / sx)),
      y1: Math.min(lh - 1, Math.floor(box.y1 / sy)),
    };
  });
  const union = {
    x0: Math.min(...boxes.map((b) => b.x0)),
    y0: Math.min(...boxes.map((b) => b.y0)),
    x1: Math.max(...boxes.map((b) => b.x1)),
    y1: Math.max(...boxes.map((b) => b.y1)),
  };
  const source = (k === 1 ? open() : open().resize(lw, lh, { fit: "fill" })).extract({
    left: union.x0,
    top: union.y0,
    width: union.x1 - union.x0 + 1,
    height: union.y1 - union.y0 + 1,
  });
  const { data, info } = await source.raw({ depth: "uchar" }).toBuffer({ resolveWithObject: true });
  const sourceRaw = { raw: { width: info.width, height: info.height, channels: info.channels } };

  return Promise.all(
    groups.map(async ({ group, sigma }, index) => {
      const low = boxes[index]!;
      const lowWidth = low.x1 - low.x0 + 1;
      const lowHeight = low.y1 - low.y0 + 1;
      const blurred = await sharp(data, sourceRaw)
        .extract({ left: low.x0 - union.x0, top: low.y0 - union.y0, width: lowWidth, height: lowHeight })
        .blur(sigma / Math.min(sx, sy))
        .raw()
        .toBuffer();
      // Only the part the ellipses reach is enlarged: their box, plus 2 shrunk pixels for the cubic kernel.
      const inner = groupBounds(group, width, height);
      const margin = k === 1 ? 0 : 2;
      const sub = {
        x0: Math.max(low.x0, Math.floor(inner.x0 / sx) - margin),
        y0: Math.max(low.y0, Math.floor(inner.y0 / sy) - margin),
        x1: Math.min(low.x1, Math.floor(inner.x1 / sx) + margin),
        y1: Math.min(low.y1, Math.floor(inner.y1 / sy) + margin),
      };
      const [subWidth, subHeight] = [sub.x1 - sub.x0 + 1, sub.y1 - sub.y0 + 1];
      const span = {
        x0: Math.round(sub.x0 * sx),
        y0: Math.round(sub.y0 * sy),
        width: k === 1 ? subWidth : Math.round(subWidth * sx),
        height: k === 1 ? subHeight : Math.round(subHeight * sy),
      };
      const x0 = Math.max(inner.x0, span.x0);
      const y0 = Math.max(inner.y0, span.y0);
      const x1 = Math.min(inner.x1, span.x0 + span.width - 1);
      const y1 = Math.min(inner.y1, span.y0 + span.height - 1);
      const mask = alphaMask(group, span, feather);
      const part = sharp(blurred, { raw: { width: lowWidth, height: lowHeight, channels: info.channels } }).extract({
        left: sub.x0 - low.x0,
        top: sub.y0 - low.y0,
        width: subWidth,
        height: subHeight,
      });
      const patch = await (k === 1 ? part : part.resize(span.width, span.height, { fit: "fill", kernel: "cubic" }))
        .joinChannel(mask, { raw: { width: span.width, height: span.height, channels: 1 } })
        .extract({ left: x0 - span.x0, top: y0 - span.y0, width: x1 - x0 + 1, height: y1 - y0 + 1 })
        .raw()
        .toBuffer();
      return { x0, y0, width: x1 - x0 + 1, height: y1 - y0 + 1, data: patch };
    }),
  );
}
