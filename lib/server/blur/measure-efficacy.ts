import "server-only";
/**
 * DESIGN.md §3 rule 2 measured on real bytes: decodes what leaves the app (an exported JPEG, a
 * blurred thumbnail, the `B` preview) and the unblurred reference of the same size, and applies the
 * one criterion of lib/blur/efficacy. Also the other half of the promise: outside the blurred areas
 * (grown by twice the JPEG block margin) the output matches a plain re-encode at ≥ 45 dB PSNR.
 */
import sharp from "sharp";
import { EFFICACY, measureBlurEfficacy, psnrOutside, type FingertipEfficacy } from "@/lib/blur/efficacy";
import type { Ellipse } from "@/lib/blur/ellipse";
import type { HandKeypoints } from "@/lib/blur/fingertip-regions";
import { toGrey } from "@/lib/blur/sharpness";

export const MIN_PSNR_OUTSIDE_DB = 45;

export async function decodeRgb(bytes: Buffer) {
  const { data, info } = await sharp(bytes)
    .rotate()
    .flatten({ background: "#ffffff" })
    .toColourspace("srgb")
    .raw()
    .toBuffer({ resolveWithObject: true });
  return {
    data: new Uint8Array(data.buffer, data.byteOffset, data.length),
    width: info.width,
    height: info.height,
    channels: info.channels,
  };
}

/** Per-fingertip efficacy of `output` against `reference` (both encoded images of one size; hands in their pixels). */
export async function measureOutputEfficacy(
  reference: Buffer,
  output: Buffer,
  hands: readonly HandKeypoints[],
): Promise<FingertipEfficacy[]> {
  const [a, b] = await Promise.all([decodeRgb(reference), decodeRgb(output)]);
  if (a.width !== b.width || a.height !== b.height)
    throw new RangeError(`sizes differ: ${a.width}×${a.height} vs ${b.width}×${b.height}`);
  return measureBlurEfficacy(
    toGrey(a.data, a.width, a.height, a.channels),
    toGrey(b.data, b.width, b.height, b.channels),
    a.width,
    a.height,
    hands,
  );
}

/** PSNR of `output` against `plain` (the same image re-encoded unblurred) outside the regions grown by 2 JPEG blocks. */
export async function psnrOutsideRegions(plain: Buffer, output: Buffer, regions: readonly Ellipse[]) {
  const [a, b] = await Promise.all([decodeRgb(plain), decodeRgb(output)]);
  if (a.width !== b.width || a.height !== b.height) throw new RangeError("sizes differ");
  return psnrOutside(a.data, b.data, a.width, a.height, a.channels, regions, 2 * EFFICACY.jpegBlockPx);
}
