import { createHash } from "node:crypto";
import { beforeAll, describe, expect, it } from "vitest";
import { DEMO_POSES, demoPoseToHand } from "@/lib/demo/poses";
import { db } from "@/lib/server/db";
import { storage } from "@/lib/server/storage/storage";
import { CACHEABLE_IMAGE_SELECT, cachedBlurredImage, recordCachedCopies } from "./export-image-cache";
import { labelledExportProject } from "./export-test-fixtures";

let fixture: Awaited<ReturnType<typeof labelledExportProject>>;
beforeAll(async () => {
  fixture = await labelledExportProject(3);
}, 240_000);

const imagesOf = () =>
  db.image.findMany({
    where: { projectId: fixture.project.id },
    orderBy: { createdAt: "asc" },
    select: CACHEABLE_IMAGE_SELECT,
  });

describe("export cache copies of a shard", () => {
  it("are recorded together, replacing (and removing) the copies of older labels", async () => {
    const hands = [demoPoseToHand(DEMO_POSES[0])];
    const first = await Promise.all((await imagesOf()).map((image) => cachedBlurredImage(image, hands)));
    expect(first.every(({ stored }) => stored)).toBe(true);
    // Stored but not yet the images' own: nothing references them until they are recorded.
    expect((await imagesOf()).map((image) => image.exportCacheKey)).toEqual([null, null, null]);
    await recordCachedCopies(first.map(({ stored }) => stored!));
    expect((await imagesOf()).map((image) => image.exportCacheKey)).toEqual(first.map(({ key }) => key));
    const again = await Promise.all((await imagesOf()).map((image) => cachedBlurredImage(image, hands)));
    expect(again.map((c) => c.stored)).toEqual([null, null, null]);
    // The manifest's hash of each copy, fresh or cached, is that of the stored bytes (named in the key, not re-read).
    for (const { key, sha256 } of [...first, ...again])
      expect(
        createHash("sha256")
          .update(await storage().get(key))
          .digest("hex"),
      ).toBe(sha256);
    expect(again.map(({ sha256 }) => sha256)).toEqual(first.map(({ sha256 }) => sha256));

    const moved = [{ ...hands[0]!, keypoints: hands[0]!.keypoints.map((p) => ({ ...p, x: p.x + 1 })) }];
    const second = await Promise.all((await imagesOf()).map((image) => cachedBlurredImage(image, moved)));
    expect(second.map(({ stored }) => stored!.previousKey)).toEqual(first.map(({ key }) => key));
    await recordCachedCopies(second.map(({ stored }) => stored!));
    for (const { key } of first) await expect(storage().get(key)).rejects.toMatchObject({ code: "ENOENT" });
    for (const { key } of second) expect((await storage().get(key)).length).toBeGreaterThan(0);
  });

  it("are none of them recorded when an image was purged meanwhile, and the export fails naming it", async () => {
    const hands = [demoPoseToHand(DEMO_POSES[1])];
    const images = await imagesOf();
    const before = images.map((image) => image.exportCacheKey);
    const copies = await Promise.all(images.map((image) => cachedBlurredImage(image, hands)));
    await db.image.update({ where: { id: images[1]!.id }, data: { originalKey: null } });
    await expect(recordCachedCopies(copies.map(({ stored }) => stored!))).rejects.toThrow(
      `Image ${images[1]!.id} was purged during the export`,
    );
    expect((await imagesOf()).map((image) => image.exportCacheKey)).toEqual(before);
  });
});
