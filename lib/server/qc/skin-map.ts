import "server-only";
/**
 * The skin map of a stored image (lib/qc/skin.ts), for the off-skin check: the display rendition decoded
 * by sharp straight to a small raw RGB buffer (SKIN_MAP_LONG_SIDE on its long side), so a check costs one
 * storage read and a shrink-on-load decode. Null when the image has no rendition left (purged) or cannot be
 * decoded: the check then does not run, and nothing else changes.
 */
import { availableParallelism } from "node:os";
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

/** Images whose rows are read per statement when many skin maps are made at once. */
const SKIN_MAP_BATCH = 200;

/**
 * The skin maps of many stored images (an import of thousands): their rows read per batch, and as many
 * decoded at once as there are cores (sharp decodes on its own threads), instead of one read and one decode
 * after another. Same values as `skinMapOfImage` for each.
 */
export async function skinMapsOfImages(imageIds: readonly string[]): Promise<Map<string, TSkinMap | null>> {
  const maps = new Map<string, TSkinMap | null>();
  const unique = [...new Set(imageIds)];
  const lanes = Math.max(1, Math.min(availableParallelism(), sharp.concurrency()));
  for (let i = 0; i < unique.length; i += SKIN_MAP_BATCH) {
    const ids = unique.slice(i, i + SKIN_MAP_BATCH);
    const rows = await db.image.findMany({
      where: { id: { in: ids } },
      select: { id: true, width: true, displayKey: true },
    });
    const byId = new Map(rows.map((row) => [row.id, row]));
    let next = 0;
    const lane = async () => {
      for (let id = ids[next++]; id !== undefined; id = ids[next++]) {
        const image = byId.get(id);
        maps.set(
          id,
          image?.displayKey
            ? await storage()
                .get(image.displayKey)
                .then((bytes) => skinMapOfBytes(bytes, image.width))
                .catch(() => null)
            : null,
        );
      }
    };
    await Promise.all(Array.from({ length: lanes }, lane));
  }
  return maps;
}
