import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { ZExportOptions } from "@/lib/export/options";
import { db } from "@/lib/server/db";
import { storage } from "@/lib/server/storage/storage";
import { withdrawConsent } from "@/lib/server/consent/withdraw-consent";
import { unzip } from "@/test/unzip";
import { lane, root, runScript } from "@/test/instances";
import { claimExportJob, executeExportJob, requestExport } from "./export-jobs";
import { labelledExportProject } from "./export-test-fixtures";

const IMAGES = 10;
let fixture: Awaited<ReturnType<typeof labelledExportProject>>;
beforeAll(async () => {
  fixture = await labelledExportProject(IMAGES);
}, 240_000);

async function exportFiles(options: { shardImages?: number; beforeRun?: () => Promise<void> } = {}) {
  const job = await requestExport(
    fixture.project.id,
    ZExportOptions.parse({ purpose: "research", formats: ["coco", "yolo", "hf"] }),
    fixture.manager.id,
  );
  const claim = await claimExportJob({ exportId: job.id });
  expect(claim?.exportId).toBe(job.id);
  await options.beforeRun?.();
  const result = await executeExportJob(claim!, { shardImages: options.shardImages });
  const row = await db.export.findUniqueOrThrow({ where: { id: job.id } });
  expect(row.error).toBeNull();
  expect(result?.images).toBe(IMAGES);
  return { id: job.id, files: await unzip(await storage().get(row.archiveKey!)) };
}

const cacheKeys = async () =>
  new Map(
    (
      await db.image.findMany({ where: { projectId: fixture.project.id }, select: { id: true, exportCacheKey: true } })
    ).map((image) => [image.id, image.exportCacheKey]),
  );

/** Entries compared by content: the timestamps of COCO's info, the datasheet and the manifest aside. */
function comparable(files: Map<string, Buffer>) {
  const out = new Map<string, string>();
  for (const [name, bytes] of files) {
    if (name === "DATASHEET.md") continue;
    if (name === "manifest.json") {
      const manifest = JSON.parse(bytes.toString());
      // Every file's hash, but those of the files holding a timestamp (compared above by content).
      const stamped = (path: string) => path === "DATASHEET.md" || path.startsWith("annotations/");
      out.set(name, JSON.stringify(manifest.files.filter((file: { path: string }) => !stamped(file.path))));
    } else if (name.startsWith("annotations/")) {
      const coco = JSON.parse(bytes.toString());
      delete coco.info.date_created;
      out.set(name, JSON.stringify(coco));
    } else out.set(name, bytes.toString("base64"));
  }
  return out;
}

describe.runIf(lane === "postgresql")("export shards on two instances", () => {
  it("two workers on one PostgreSQL database build the same archive as one, each image processed once", async () => {
    const single = await exportFiles({ shardImages: 2 });
    // Cold cache, so that every image is blurred by whichever worker runs its shard.
    const images = await db.image.findMany({
      where: { projectId: fixture.project.id },
      select: { exportCacheKey: true },
    });
    for (const { exportCacheKey } of images) if (exportCacheKey) await storage().remove(exportCacheKey);
    await db.image.updateMany({ where: { projectId: fixture.project.id }, data: { exportCacheKey: null } });

    const other = runScript(path.join(root, "scripts/export-shard-worker.ts"), {
      DATABASE_URL: process.env.DATABASE_URL!,
      PHALANX_DATA_DIR: process.env.PHALANX_DATA_DIR!,
    });
    try {
      const ready = Date.now();
      while (!other.output().includes("ready")) {
        if (Date.now() - ready > 120_000) throw new Error(`worker did not start: ${other.output()}`);
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      const double = await exportFiles({ shardImages: 1 });
      expect(comparable(double.files)).toEqual(comparable(single.files));

      const shards = await db.exportShard.findMany({
        where: { exportId: double.id },
        select: { items: true, status: true, attempts: true, claimedBy: true },
      });
      expect(shards).toHaveLength(IMAGES);
      expect(shards.every((shard) => shard.status === "done" && shard.attempts === 1)).toBe(true);
      const imageIds = shards.flatMap((shard) => (shard.items as { imageId: string }[]).map((i) => i.imageId));
      expect(new Set(imageIds).size).toBe(IMAGES);
      // Both instances took part.
      expect(new Set(shards.map((shard) => shard.claimedBy)).size).toBe(2);
    } finally {
      other.process.kill("SIGTERM");
      await other.exited;
    }
  }, 300_000);
});

describe("export cache", () => {
  it("a repeat export copies the cached blurred images; a changed label never serves the stale copy", async () => {
    const first = await exportFiles();
    const keys = await cacheKeys();
    expect([...keys.values()].every((key) => key?.includes("/export-cache/"))).toBe(true);
    const [imageId, key] = [...keys][0];
    const fileName = [...first.files.keys()].find((name) => name.endsWith(`/${imageId}.jpg`))!;
    expect(first.files.get(fileName)).toEqual(await storage().get(key!));

    // The repeat export takes the cached copy as it is (marked here so that a re-blur would show).
    const marked = Buffer.concat([await storage().get(key!), Buffer.from("cached")]);
    await storage().put(key!, marked);
    const second = await exportFiles();
    expect(second.files.get(fileName)).toEqual(marked);
    expect(await cacheKeys()).toEqual(keys);
    // Every image was cached: the run read the labels itself, with no shards (nor their fragments) in between.
    expect(await db.exportShard.count({ where: { exportId: second.id } })).toBe(0);

    // A fingertip moved: the key changes, the image is blurred again from the original, the old copy is gone.
    const annotation = await db.annotation.findFirstOrThrow({ where: { imageId }, select: { id: true } });
    const hand = await db.hand.findFirstOrThrow({
      where: { annotationId: annotation.id, position: 0 },
      select: { id: true, keypoints: true },
    });
    const keypoints = hand.keypoints as { x: number; y: number; state: string }[];
    keypoints[8] = { ...keypoints[8], x: keypoints[8].x + 3 };
    await db.hand.update({ where: { id: hand.id }, data: { keypoints } });
    const third = await exportFiles({ shardImages: 1 });
    const newKey = (await cacheKeys()).get(imageId)!;
    expect(newKey).not.toBe(key);
    expect(third.files.get(fileName)).not.toEqual(marked);
    expect(third.files.get(fileName)).toEqual(await storage().get(newKey));
    await expect(storage().get(key!)).rejects.toMatchObject({ code: "ENOENT" });
    // Read directly up to the batch that had to blur again; the images after it went to shards (which other
    // instances may claim), and every other image is the copy the first export made.
    const order = JSON.parse(third.files.get("phalanx.json")!.toString()).map(
      (item: { imageId: string }) => item.imageId,
    );
    expect(await db.exportShard.count({ where: { exportId: third.id } })).toBe(IMAGES - order.indexOf(imageId) - 1);
    for (const [name, bytes] of first.files)
      if (name.endsWith(".jpg") && name !== fileName) expect(third.files.get(name)).toEqual(bytes);
  }, 240_000);

  it("a purging withdrawal removes the subject's cached copies with the originals", async () => {
    const image = await db.image.findFirstOrThrow({
      where: { projectId: fixture.project.id, exportCacheKey: { not: null } },
      select: { subjectId: true },
    });
    await db.project.update({ where: { id: fixture.project.id }, data: { withdrawalPolicy: "purge" } });
    const cached = await db.image.findMany({
      where: { subjectId: image.subjectId },
      select: { exportCacheKey: true },
    });
    await withdrawConsent(fixture.project.id, image.subjectId, { reason: "asked", channel: "email" }, null);
    for (const { exportCacheKey } of cached)
      await expect(storage().get(exportCacheKey!)).rejects.toMatchObject({ code: "ENOENT" });
    expect(await db.image.count({ where: { subjectId: image.subjectId, exportCacheKey: { not: null } } })).toBe(0);
  }, 120_000);
});
