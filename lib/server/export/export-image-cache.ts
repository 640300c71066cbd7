import "server-only";
import { createHash } from "node:crypto";
import sharp from "sharp";
import { DEMO_POSES, demoPoseToHand } from "@/lib/demo/poses";
import { drawHandImage } from "@/lib/demo/draw-hand";
import type { THand } from "@/lib/hand/schema";
import { db } from "@/lib/server/db";
import { storage } from "@/lib/server/storage/storage";
import { blurFingertips } from "@/lib/server/blur/blur-fingertips";

/**
 * The export cache: each image's fingertip-blurred export copy, kept in private storage so that a repeat export
 * copies bytes instead of decoding, blurring and encoding again. One copy per image (the key in
 * `Image.exportCacheKey`, so purging an image or reconciling storage reaches it like the original).
 *
 * The key names everything that changes the pixels: the image's content (sha256), every keypoint of every hand
 * (positions and states, which place the blurred regions) and the blur itself — a hash of what the blur makes
 * of a fixed test picture (any change of code, settings or libvips shows there) plus a revision to bump by hand
 * should a change ever escape that picture. A changed label or blur therefore never matches a cached copy.
 * A withdrawn subject's images are never selected for an export; the copy is kept or purged with the original
 * (purgeLeftoverFiles in lib/server/consent/withdraw-consent.ts, and the storage reconciliation).
 */
const EXPORT_BLUR_REVISION = 1;

let probe: Promise<string> | undefined;
function blurProbe(): Promise<string> {
  probe ??= (async () => {
    const pose = DEMO_POSES[0];
    const { jpeg } = await blurFingertips(await drawHandImage(pose), [demoPoseToHand(pose)]);
    return createHash("sha256")
      .update(JSON.stringify({ EXPORT_BLUR_REVISION, vips: sharp.versions.vips }))
      .update(jpeg)
      .digest("hex");
  })();
  return probe;
}

export type TCacheableImage = { id: string; projectId: string; sha256: string };

/**
 * The start of the storage key of an image's blurred export copy for these labels (stable across processes and
 * instances); the key ends with the copy's own sha256 (`{fingerprint}-{sha256}.jpg`), so that the archive's
 * manifest takes it from the key instead of hashing every copied byte again.
 */
export async function exportCacheKeyPrefix(image: TCacheableImage, hands: readonly Pick<THand, "keypoints">[]) {
  const fingerprint = createHash("sha256")
    .update(await blurProbe())
    .update(image.sha256)
    .update(JSON.stringify(hands.map((hand) => hand.keypoints)))
    .digest("hex")
    .slice(0, 40);
  return `projects/${image.projectId}/export-cache/${image.id}/${fingerprint}-`;
}

/** The sha256 a cached copy's key names (null for a key of another shape). */
export function cachedCopySha256(key: string): string | null {
  return /-([0-9a-f]{64})\.jpg$/.exec(key)?.[1] ?? null;
}

export type TCachedCopy = { imageId: string; key: string; previousKey: string | null };

/** The image fields `cachedBlurredImage` needs, for the `select` of whoever reads the images. */
export const CACHEABLE_IMAGE_SELECT = {
  id: true,
  projectId: true,
  sha256: true,
  originalKey: true,
  exportCacheKey: true,
  width: true,
  height: true,
} as const;

/**
 * The key of the image's blurred export copy for these labels, blurring and storing it unless the cached copy
 * already matches. A new copy is not yet the image's (`stored`): `recordCachedCopies` makes a shard's copies
 * theirs in one transaction, and whoever stored one removes it should that never happen.
 */
export async function cachedBlurredImage(
  image: TCacheableImage & {
    originalKey: string | null;
    exportCacheKey: string | null;
    width: number;
    height: number;
  },
  hands: readonly THand[],
): Promise<{ key: string; sha256: string; stored: TCachedCopy | null }> {
  const prefix = await exportCacheKeyPrefix(image, hands);
  const cachedSha256 = image.exportCacheKey?.startsWith(prefix) ? cachedCopySha256(image.exportCacheKey) : null;
  if (cachedSha256) return { key: image.exportCacheKey!, sha256: cachedSha256, stored: null };
  if (!image.originalKey) throw new Error(`Image ${image.id} has no original any more (purged)`);
  const size = { width: image.width, height: image.height };
  const { jpeg } = await blurFingertips(await storage().get(image.originalKey), hands, { size });
  const sha256 = createHash("sha256").update(jpeg).digest("hex");
  const key = `${prefix}${sha256}.jpg`;
  await storage().put(key, jpeg);
  return { key, sha256, stored: { imageId: image.id, key, previousKey: image.exportCacheKey } };
}

/**
 * Makes stored copies their images' export copies, all in one transaction (one commit per shard, not per image),
 * then removes the copies they replace. Should an image have been purged meanwhile, none is recorded and the
 * export fails naming the image (the shard removes the copies it stored).
 */
export async function recordCachedCopies(copies: readonly TCachedCopy[]) {
  if (copies.length === 0) return;
  await db.$transaction(async (tx) => {
    for (const copy of copies) {
      const { count } = await tx.image.updateMany({
        where: { id: copy.imageId, originalKey: { not: null } },
        data: { exportCacheKey: copy.key },
      });
      if (count !== 1) throw new Error(`Image ${copy.imageId} was purged during the export`);
    }
  });
  for (const copy of copies) if (copy.previousKey) await storage().remove(copy.previousKey);
}
