import "server-only";
/**
 * The skin map of a stored image (lib/qc/skin.ts), for the off-skin check: the display rendition decoded
 * by sharp straight to a small raw RGB buffer (SKIN_MAP_LONG_SIDE on its long side), so a check costs one
 * storage read and a shrink-on-load decode. Null when the image has no rendition left (purged) or cannot be
 * decoded: the check then does not run, and nothing else changes.
 */
import sharp from "sharp";
import { db } from "@/lib/server/db";
import { storage } from "@/lib/server/storage/storage";
import { SKIN_MAP_LONG_SIDE, skinMapFromPixels, type TSkinMap } from "@/lib/qc/skin";

/** The skin map of encoded image bytes showing an original `originalWidth` pixels across. */
export async function skinMapOfBytes(bytes: Buffer, originalWidth: number): Promise<TSkinMap> {
  const { data, info } = await sharp(bytes)
    .resize(SKIN_MAP_LONG_SIDE, SKIN_MAP_LONG_SIDE, { fit: "inside", withoutEnlargement: true })
    .removeAlpha()
    .toColourspace("srgb")
    .raw()
    .toBuffer({ resolveWithObject: true });
  return skinMapFromPixels(data, info, originalWidth);
}

/** The skin map of a stored image, from its display rendition; null when there is none to read. */
export async function skinMapOfImage(imageId: string): Promise<TSkinMap | null> {
  const image = await db.image.findUnique({ where: { id: imageId }, select: { width: true, displayKey: true } });
  if (!image?.displayKey) return null;
  try {
    return await skinMapOfBytes(await storage().get(image.displayKey), image.width);
  } catch {
    return null;
  }
}
