import "server-only";
import { createHash, randomUUID } from "node:crypto";
import { availableParallelism } from "node:os";
import sharp from "sharp";
import { z } from "zod";
import { ZExportOptions, type TExportOptions } from "@/lib/export/options";
import { databaseTarget, env } from "@/lib/env";
import { db } from "@/lib/server/db";
import { Prisma } from "@/lib/server/db/generated/sqlite/client";
import { storage } from "@/lib/server/storage/storage";
import { INSTANCE, LeaseLostError, RunReleasedError, staleMs, type TExportRun } from "./export-lease";
import { CACHEABLE_IMAGE_SELECT, cachedBlurredImage, recordCachedCopies, type TCachedCopy } from "./export-image-cache";
import { readPhalanxItems, type TPhalanxItem } from "./phalanx-format";
import type { TExportItem } from "./select-export-items";

/**
 * Exports that outgrow one instance: an export run cuts its images into shards (rows of ExportShard, tied to the
 * run's fencing token) that any instance claims — on PostgreSQL with `FOR UPDATE SKIP LOCKED`, so claimers never
 * wait for each other; on SQLite the same statements run one writer at a time. A shard reads its labels in one
 * query, blurs its images into the export cache (several at once, up to the cores) and stores one fragment: a
 * JSON line per image with its phalanx.json item and the key of its exported JPEG. The run that owns the export
 * assembles the archive from the fragments, in order (lib/server/export/run-export.ts).
 *
 * Fencing: a shard is claimable only while its export is running under the token that created it, and its
 * completion is written only while both its own lease token and that export token still hold; a shard run that
 * lost either removes what it stored. A shard whose instance sent no heartbeat for the stale time is claimed again.
 */

export const ZShardItem = z.object({
  imageId: z.string(),
  annotationId: z.string(),
  subjectId: z.string(),
  subjectCode: z.string(),
  consentRecordId: z.string(),
  split: z.enum(["train", "val", "test"]),
  fileName: z.string(),
});
export type TShardItem = z.infer<typeof ZShardItem>;

/** One line of a shard's fragment: what the assembler needs of one image, without reading the database again. */
export type TShardLine = {
  item: TPhalanxItem;
  subjectId: string;
  imageKey: string;
  /** The exported JPEG's sha256 (the manifest's), known where the JPEG was made or named in its cache key. */
  imageSha256: string;
  cached: boolean;
};

/**
 * Where an export's time goes (read by bench/export.ts): reading labels and writing everything but images (the
 * annotations part), and the run's steps end to end — selecting the images, the shards (labels read, images blurred
 * or found in the cache), the assembly of the archive, the datasheet, manifest and commit.
 */
export const exportPhaseMs = {
  readLabels: 0,
  writeLabels: 0,
  /** The shards' fragments: written as JSON lines by a shard, parsed back by the assembly. */
  fragments: 0,
  select: 0,
  shards: 0,
  assembly: 0,
  finish: 0,
};

/** Images per shard: big enough that a shard's one label query and its claim are cheap beside its images. */
export const DEFAULT_SHARD_IMAGES = 250;

/**
 * Images decoded, blurred and encoded at once: libvips parallelises inside an image only so far, so up to the cores.
 * PHALANX_EXPORT_IMAGE_CONCURRENCY overrides it (e.g. 1 per instance, to measure scale-out on a shared machine).
 */
export const imageConcurrency = () =>
  env().PHALANX_EXPORT_IMAGE_CONCURRENCY ?? Math.max(1, Math.min(availableParallelism(), sharp.concurrency()));

/** Where a run's shards store their fragments (and an unblurred export's images). */
export const shardFolder = (projectId: string, exportId: string, runToken: string) =>
  `projects/${projectId}/export-shards/${exportId}-${runToken.slice(0, 8)}`;

/** Cuts the run's images into shards (once per run: a run that restarts its coordination finds them). */
export async function createExportShards(
  exportId: string,
  runToken: string,
  items: readonly (TExportItem & Pick<TShardItem, "split" | "fileName">)[],
  shardImages = DEFAULT_SHARD_IMAGES,
) {
  const data = [];
  for (let start = 0, index = 0; start < items.length; start += shardImages, index++)
    data.push({
      exportId,
      runToken,
      index,
      items: items.slice(start, start + shardImages).map((item) => ZShardItem.parse(item)),
    });
  await db.exportShard.createMany({ data });
  return data.length;
}

export type TShardClaim = { id: string; exportId: string; runToken: string; index: number; token: string };

/**
 * Claims one queued shard (or one whose instance went silent) of a running export's current run: of `exportId`
 * only when given, else of any export; of the run `runToken` only when given (an export's own run claims only its
 * own shards, so a run that lost its job never holds the new run's shards). Null when there is none left to claim.
 */
export async function claimExportShard(
  options: { exportId?: string; runToken?: string; now?: Date } = {},
): Promise<TShardClaim | null> {
  const now = options.now ?? new Date();
  const staleBefore = new Date(now.getTime() - staleMs());
  const token = randomUUID();
  if (databaseTarget().provider === "postgresql") {
    const rows = await db.$queryRaw<{ id: string; exportId: string; runToken: string; index: number }[]>(Prisma.sql`
      UPDATE "ExportShard" SET "status" = 'running', "leaseToken" = ${token}, "claimedBy" = ${INSTANCE},
        "heartbeatAt" = ${now}, "attempts" = "attempts" + 1
      WHERE "id" = (
        SELECT s."id" FROM "ExportShard" s JOIN "Export" e ON e."id" = s."exportId"
        WHERE e."status" = 'running' AND e."leaseToken" = s."runToken"
          ${options.exportId ? Prisma.sql`AND s."exportId" = ${options.exportId}` : Prisma.empty}
          ${options.runToken ? Prisma.sql`AND s."runToken" = ${options.runToken}` : Prisma.empty}
          AND (s."status" = 'queued' OR (s."status" = 'running' AND s."heartbeatAt" < ${staleBefore}))
        ORDER BY s."exportId", s."index" LIMIT 1
        FOR UPDATE OF s SKIP LOCKED)
      RETURNING "id", "exportId", "runToken", "index"`);
    return rows[0] ? { ...rows[0], token } : null;
  }
  // SQLite: one writer; the conditional update on the previous lease token makes a lost race harmless.
  for (let attempt = 0; attempt < 5; attempt++) {
    const candidates = await db.exportShard.findMany({
      where: {
        ...(options.exportId ? { exportId: options.exportId } : {}),
        ...(options.runToken ? { runToken: options.runToken } : {}),
        OR: [{ status: "queued" }, { status: "running", heartbeatAt: { lt: staleBefore } }],
        export: { status: "running", leaseToken: { not: null } },
      },
      orderBy: [{ exportId: "asc" }, { index: "asc" }],
      select: {
        id: true,
        exportId: true,
        runToken: true,
        index: true,
        leaseToken: true,
        export: { select: { leaseToken: true } },
      },
      take: 20,
    });
    const candidate = candidates.find((c) => c.export.leaseToken === c.runToken);
    if (!candidate) return null;
    const { count } = await db.exportShard.updateMany({
      where: { id: candidate.id, leaseToken: candidate.leaseToken },
      data: { status: "running", leaseToken: token, claimedBy: INSTANCE, heartbeatAt: now, attempts: { increment: 1 } },
    });
    if (count === 1)
      return {
        id: candidate.id,
        exportId: candidate.exportId,
        runToken: candidate.runToken,
        index: candidate.index,
        token,
      };
  }
  return null;
}

/** The shard run lost its shard (taken over, or its export's run was): it stops and keeps nothing. */
export class ShardLostError extends Error {
  override name = "ShardLostError";
}

/** Ordered map with at most `limit` calls in flight. */
async function mapConcurrent<T, R>(items: readonly T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const lane = async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await fn(items[index]);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, lane));
  return results;
}

/**
 * The fragment lines of a batch of a run's items (a shard's, or a batch the run assembles directly): their labels
 * in one query, their images blurred into the export cache (or found there, the copies made here recorded as the
 * images' own in one transaction) or, for an unblurred export, re-encoded under `prefix`. Several images at once,
 * up to the cores. Keys of what it stored and did not record are added to `written`, for the caller to remove
 * should it not finish.
 */
export async function exportBatchLines(
  items: readonly TShardItem[],
  options: TExportOptions,
  context: {
    prefix: string;
    written: string[];
    ensureOwned: () => void;
    imageDone?: (doneInBatch: number, batchSize: number) => Promise<void>;
  },
): Promise<{ lines: TShardLine[]; blurred: number }> {
  const { prefix, written, ensureOwned } = context;
  const readStarted = performance.now();
  const [phalanxItems, images] = await Promise.all([
    readPhalanxItems(items, { includeOriginalFileNames: options.includeOriginalFileNames }),
    db.image.findMany({
      where: { id: { in: items.map((item) => item.imageId) } },
      select: CACHEABLE_IMAGE_SELECT,
    }),
  ]);
  exportPhaseMs.readLabels += performance.now() - readStarted;
  const imageOf = new Map(images.map((image) => [image.id, image]));
  const subjectOf = new Map(items.map((item) => [item.imageId, item.subjectId]));
  const copies: TCachedCopy[] = [];
  let imagesDone = 0;
  const lines = await mapConcurrent(phalanxItems, imageConcurrency(), async (item): Promise<TShardLine> => {
    const line = await exportImage(item);
    await context.imageDone?.(++imagesDone, phalanxItems.length);
    return line;
  });
  async function exportImage(item: TPhalanxItem): Promise<TShardLine> {
    ensureOwned();
    const subjectId = subjectOf.get(item.imageId)!;
    const image = imageOf.get(item.imageId);
    if (!image) throw new Error(`Image ${item.imageId} disappeared during the export`);
    if (options.unblurred) {
      if (!image.originalKey) throw new Error(`Image ${image.id} has no original any more (purged)`);
      const imageKey = `${prefix}/images/${image.id}.jpg`;
      written.push(imageKey);
      const jpeg = await sharp(await storage().get(image.originalKey))
        .rotate()
        .jpeg({ quality: 92 })
        .toBuffer();
      await storage().put(imageKey, jpeg);
      return { item, subjectId, imageKey, imageSha256: createHash("sha256").update(jpeg).digest("hex"), cached: false };
    }
    const { key, sha256, stored } = await cachedBlurredImage(image, item.hands);
    if (stored) {
      written.push(key); // removed by the caller unless recorded below
      copies.push(stored);
    }
    return { item, subjectId, imageKey: key, imageSha256: sha256, cached: !stored };
  }
  ensureOwned();
  await recordCachedCopies(copies);
  const recorded = new Set(copies.map((copy) => copy.key));
  written.splice(0, written.length, ...written.filter((key) => !recorded.has(key)));
  return { lines, blurred: copies.length };
}

/**
 * Runs a claimed shard: its labels in one query, its images into the export cache (blurred) or into the run's
 * shard folder (an unblurred export), and its fragment into storage; then marks it done if it still owns it.
 */
export async function runExportShard(
  claim: TShardClaim,
  /** When the export's own run works on the shard: it stops when the run does, and reports each image done. */
  run?: { ensureOwned: () => void; imageDone: (doneInShard: number, shardSize: number) => Promise<void> },
): Promise<{ images: number; blurred: number }> {
  const owned = {
    id: claim.id,
    leaseToken: claim.token,
    status: "running",
    export: { status: "running", leaseToken: claim.runToken },
  };
  let lost = false;
  const beat = async () => {
    const { count } = await db.exportShard.updateMany({ where: owned, data: { heartbeatAt: new Date() } });
    if (count === 0) lost = true;
  };
  const ensureOwned = () => {
    if (lost) throw new ShardLostError(`shard ${claim.index} of export ${claim.exportId} is no longer ${INSTANCE}'s`);
    // A run that is released (shutting down) or taken over stops within an image, not at the end of the shard.
    run?.ensureOwned();
  };
  const timer = setInterval(() => void beat().catch(() => {}), Math.max(500, staleMs() / 4));
  timer.unref();
  const written: string[] = [];
  let done = false;
  try {
    const shard = await db.exportShard.findUniqueOrThrow({
      where: { id: claim.id },
      select: { items: true, export: { select: { projectId: true, options: true } } },
    });
    const options = ZExportOptions.parse(shard.export.options);
    const items = z.array(ZShardItem).parse(shard.items);
    const prefix = shardFolder(shard.export.projectId, claim.exportId, claim.runToken);
    const { lines, blurred } = await exportBatchLines(items, options, {
      prefix,
      written,
      ensureOwned,
      imageDone: run?.imageDone,
    });
    const outputKey = `${prefix}/${claim.index}-${claim.token.slice(0, 8)}.jsonl`;
    written.push(outputKey);
    const fragmentStarted = performance.now();
    const fragment = Buffer.from(lines.map((line) => JSON.stringify(line)).join("\n"));
    exportPhaseMs.fragments += performance.now() - fragmentStarted;
    await storage().put(outputKey, fragment);
    const { count } = await db.exportShard.updateMany({
      where: owned,
      data: { status: "done", outputKey, finishedAt: new Date(), heartbeatAt: new Date() },
    });
    if (count !== 1)
      throw new ShardLostError(
        `shard ${claim.index} of export ${claim.exportId} was taken over before ${INSTANCE} finished it`,
      );
    done = true;
    return { images: items.length, blurred };
  } catch (error) {
    // A shard that cannot be exported fails its export with the reason (whichever instance ran it); a shard
    // stopped because its run was released or taken over is left to the run that replaces it.
    if (!(error instanceof ShardLostError || error instanceof RunReleasedError || error instanceof LeaseLostError))
      await db.exportShard
        .updateMany({
          where: owned,
          data: { status: "failed", error: error instanceof Error ? error.message : String(error) },
        })
        .catch(() => {});
    throw error;
  } finally {
    clearInterval(timer);
    if (!done)
      for (const key of written)
        await storage()
          .remove(key)
          .catch(() => {});
  }
}

/** A shard's fragment, line by line, in export order. */
export async function readShardLines(outputKey: string): Promise<TShardLine[]> {
  const text = (await storage().get(outputKey)).toString();
  return text ? text.split("\n").map((line) => JSON.parse(line) as TShardLine) : [];
}

/**
 * Removes what a run's shards stored: their fragments and an unblurred export's images (the export cache stays).
 * `blurred: true` (the caller knows the export's images are all in the export cache) skips reading the fragments
 * again to find images of their own. The shard rows forget their fragments in one write (on SQLite each write is a
 * synchronous commit); removing a missing object succeeds, so a removal cut short is simply done again.
 */
export async function removeShardObjects(exportId: string, runToken: string, options: { blurred?: boolean } = {}) {
  const shards = await db.exportShard.findMany({
    where: { exportId, runToken, outputKey: { not: null } },
    select: { id: true, outputKey: true },
  });
  for (const { outputKey } of shards) {
    if (!options.blurred)
      for (const line of await readShardLines(outputKey!).catch(() => []))
        if (!line.imageKey.includes("/export-cache/")) await storage().remove(line.imageKey);
    await storage().remove(outputKey!);
  }
  if (shards.length)
    await db.exportShard.updateMany({
      where: { id: { in: shards.map((shard) => shard.id) } },
      data: { outputKey: null },
    });
}

/** Removes the shards of the export's earlier runs (taken over or failed) and what they stored. */
export async function removeExportShards(exportId: string, except: { runToken: string }) {
  const runs = await db.exportShard.findMany({
    where: { exportId, runToken: { not: except.runToken } },
    select: { runToken: true },
    distinct: ["runToken"],
  });
  for (const { runToken } of runs) {
    await removeShardObjects(exportId, runToken);
    await db.exportShard.deleteMany({ where: { exportId, runToken } });
  }
}

/**
 * An instance's share of other instances' exports: claims and runs shards of any running export until none is
 * left to claim. `shouldStop` is asked between shards (graceful shutdown).
 */
export async function workOnExportShards(shouldStop: () => boolean = () => false) {
  let shards = 0;
  for (let claim = await claimExportShard(); claim; claim = shouldStop() ? null : await claimExportShard()) {
    try {
      await runExportShard(claim);
      shards++;
    } catch (error) {
      if (!(error instanceof ShardLostError)) throw error;
      console.warn(`[export] ${error.message}`);
    }
  }
  return shards;
}

/**
 * The export run's part of step 1: claims and runs its own shards until every one is done, other instances
 * running some of them meanwhile (a shard of a silent instance is claimed again after the stale time).
 * A failed shard fails the export with its reason.
 */
export async function workThroughShards(run: TExportRun, shardCount: number) {
  let finished = 0;
  for (;;) {
    run.ensureOwned();
    const claim = await claimExportShard({ exportId: run.exportId, runToken: run.token });
    if (claim) {
      // Progress moves image by image inside the run's own shard (written at most twice a second).
      let reportedAt = 0;
      const imageDone = async (doneInShard: number, shardSize: number) => {
        if (Date.now() - reportedAt < 500) return;
        reportedAt = Date.now();
        await run.progress((0.8 * (finished + doneInShard / Math.max(1, shardSize))) / Math.max(1, shardCount));
      };
      await runExportShard(claim, { ensureOwned: () => run.ensureOwned(), imageDone }).catch((error) => {
        if (!(error instanceof ShardLostError)) throw error;
      });
    }
    const shards = await db.exportShard.findMany({
      where: { exportId: run.exportId, runToken: run.token, status: { in: ["done", "failed"] } },
      select: { index: true, status: true, error: true },
    });
    const failed = shards.find((shard) => shard.status === "failed");
    if (failed) throw new Error(`Part ${failed.index + 1} of the export failed: ${failed.error}`);
    finished = shards.length;
    await run.progress((0.8 * finished) / Math.max(1, shardCount));
    if (shards.length === shardCount) return;
    if (!claim) await new Promise((resolve) => setTimeout(resolve, SHARD_POLL_MS));
  }
}

/** How often an export run that has no shard left to claim looks whether the others' are done. */
const SHARD_POLL_MS = 200;
