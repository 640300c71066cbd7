/**
 * How much detail is left inside the blur regions: the variance of the Laplacian (a standard focus /
 * sharpness measure). Ridges are the finest detail of a fingertip, so a blur that removes ≥ 95 % of
 * the Laplacian's variance inside the regions has removed them. Pure: raw buffers in, numbers out.
 */
import { regionMask, type Ellipse } from "./ellipse";

/** Rec. 601 luma of an interleaved raw buffer (1–4 channels; alpha ignored), rounded to 0..255. */
export function toGrey(raw: Uint8Array, width: number, height: number, channels: number): Uint8Array {
  const n = width * height;
  if (raw.length < n * channels) throw new RangeError("raw buffer shorter than width × height × channels");
  const grey = new Uint8Array(n);
  if (channels < 3) {
    for (let p = 0; p < n; p++) grey[p] = raw[p * channels]!;
    return grey;
  }
  for (let p = 0, o = 0; p < n; p++, o += channels) {
    grey[p] = Math.round(0.299 * raw[o]! + 0.587 * raw[o + 1]! + 0.114 * raw[o + 2]!);
  }
  return grey;
}

export interface LaplacianStats {
  variance: number;
  /** Pixels measured. */
  count: number;
}

/**
 * Variance of the 3×3 Laplacian [0 1 0; 1 −4 1; 0 1 0] over the pixels inside the regions.
 * Only pixels whose whole 3×3 neighbourhood lies inside (a 1-px erosion, never the image border)
 * are counted: the kernel at the rim would otherwise read the untouched pixels outside, and measure
 * the region's edge rather than what is left inside it.
 */
export function laplacianVariance(
  grey: Uint8Array,
  width: number,
  height: number,
  regions: readonly Ellipse[],
): LaplacianStats {
  return laplacianVarianceInMask(grey, width, height, regionMask(regions, width, height));
}

/** As laplacianVariance, for a precomputed 0/1 mask (row-major, width × height). */
export function laplacianVarianceInMask(
  grey: Uint8Array,
  width: number,
  height: number,
  mask: Uint8Array,
): LaplacianStats {
  let sum = 0;
  let sumSq = 0;
  let count = 0;
  for (let y = 1; y < height - 1; y++) {
    for (let x = 1; x < width - 1; x++) {
      const p = y * width + x;
      if (!mask[p]) continue;
      if (!(
        mask[p - 1] &&
        mask[p + 1] &&
        mask[p - width] &&
        mask[p + width] &&
        mask[p - width - 1] &&
        mask[p - width + 1] &&
        mask[p + width - 1] &&
        mask[p + width + 1]
      ))
        continue;
      const lap = grey[p - 1]! + grey[p + 1]! + grey[p - width]! + grey[p + width]! - 4 * grey[p]!;
      sum += lap;
      sumSq += lap * lap;
      count++;
    }
  }
  if (count === 0) return { variance: 0, count: 0 };
  const mean = sum / count;
  return { variance: Math.max(0, sumSq / count - mean * mean), count };
}

/** Fraction of the Laplacian variance removed, 0..1 (1 = all detail gone); 0 when there was none. */
export function laplacianDrop(before: LaplacianStats, after: LaplacianStats): number {
  if (before.variance <= 0) return 0;
  return 1 - after.variance / before.variance;
}

/**
 * Pixels outside the regions whose values differ between two raw buffers of the same size and
 * layout (any channel). The blur promises 0.
 */
export function changedOutside(
  a: Uint8Array,
  b: Uint8Array,
  width: number,
  height: number,
  channels: number,
  regions: readonly Ellipse[],
): number {
  if (a.length !== b.length || a.length !== width * height * channels) {
    throw new RangeError("buffers differ in size or do not match width × height × channels");
  }
  const mask = regionMask(regions, width, height);
  let changed = 0;
  for (let p = 0; p < width * height; p++) {
    if (mask[p]) continue;
    const o = p * channels;
    for (let c = 0; c < channels; c++) {
      if (a[o + c] !== b[o + c]) {
        changed++;
        break;
      }
    }
  }
  return changed;
}
