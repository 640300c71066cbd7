import "server-only";
import { mkdirSync, rmSync } from "node:fs";
import path from "node:path";
import { z } from "zod";
import { ZExportOptions, type TExportOptions } from "@/lib/export/options";
import { createCocoWriter } from "@/lib/export/coco";
import { yoloDataYaml, yoloLabelFile } from "@/lib/export/yolo";
import { assignSplits, SPLITS } from "@/lib/export/splits";
import { createDatasheetTally, datasheetMarkdown } from "@/lib/export/datasheet";
import { buildManifest, manifestJson } from "@/lib/export/manifest";
import { ZConsentScope } from "@/lib/consent/schema";
import { dataDir } from "@/lib/env";
import packageJson from "@/package.json";
import { db } from "@/lib/server/db";
import { storage } from "@/lib/server/storage/storage";
import { recordAuditEvent } from "@/lib/server/audit/record-audit-event";
import { selectExportItems, type TExportItem } from "./select-export-items";
import { exportCoverageSection } from "@/lib/server/coverage/export-coverage";
import { createZipWriter } from "./zip-writer";
import { HF_METADATA_FILE, hfKeypointsJson, hfMetadataLine } from "@/lib/export/hf-imagefolder";
import { fileSink } from "./file-sink";
import {
  createExportShards,
  DEFAULT_SHARD_IMAGES,
  exportBatchLines,
  exportPhaseMs,
  readShardLines,
  removeExportShards,
  removeShardObjects,
  shardFolder,
  workThroughShards,
  type TShardLine,
} from "./export-shards";
import { supersessionFor } from "./rebuild-export";
import { revokeIfWithdrawnMeanwhile } from "./revoke-exports";
import { recordPendingObjects, settlePendingObjects } from "@/lib/server/storage/pending-objects";
import { PHALANX_ITEM_SCHEMA } from "./phalanx-format";
import { LeaseLostError, type TExportRun } from "./export-lease";

/** Exported JPEGs read from storage ahead of the one being written into the zip. */
export const IMAGE_READ_AHEAD = 8;
/**
 * Bytes handed to the zip but not yet written to its file: the bound on the archive held in memory (yazl takes a
 * buffer entry at once, so a fast, cached read would otherwise run ahead of the disk).
 */
const ZIP_QUEUE_BYTES = 8 * 2 ** 20;

/**
 * Builds one export's zip: blurred metadata-free images, COCO keypoints per split, the project's own
 * full-fidelity JSON (with its JSON Schema), optional YOLO pose labels and Hugging Face metadata, DATASHEET.md and
 * manifest.json (sha256 of every file, the consent records relied on). Records which images and consents it used.
 *
 * 1. The images are cut into shards (lib/server/export/export-shards.ts) that this instance works through and
 *    any other instance may join in on: each shard reads its labels in one query and blurs its images into the
 *    export cache, several at once, so a repeat export only copies the cached JPEGs. A repeat (every image has a
 *    cached copy) makes no shards: the run reads the labels itself as it assembles, until a batch finds changed ones.
 * 2. This run then assembles the archive from the shards' fragments in export order, in one pass: images are
 *    copied into the zip, while COCO per split, phalanx.json and HF metadata are streamed to temp files (COCO
 *    lists all images before any annotation) and added after. Memory stays flat as the project grows.
 *
 * Runs under `run`'s lease (lib/server/export/export-lease.ts): it checks between steps that it still owns the
 * job, writes to a temp file and an archive key of its own, and commits only if its fencing token still
 * holds; a run that lost the job removes what it wrote and throws LeaseLostError. Shards carry the run's token.
 */
export async function runExport(exportId: string, run: TExportRun, tuning: { shardImages?: number } = {}) {
  const job = await db.export.findUniqueOrThrow({
    where: { id: exportId },
    select: { id: true, projectId: true, options: true, requestedById: true, project: { select: { name: true } } },
  });
  const options: TExportOptions = ZExportOptions.parse(job.options);
  let phaseStarted = performance.now();
  const phaseDone = (phase: "select" | "shards" | "assembly" | "finish") => {
    const now = performance.now();
    exportPhaseMs[phase] += now - phaseStarted;
    phaseStarted = now;
  };
  const { items, leftOut, balance } = await selectExportItems(job.projectId, options);
  const splitOf = assignSplits(
    items.map((item) => item.subjectId),
    { ratios: options.splits, seed: options.seed },
  );
  const tmpDir = path.join(dataDir(), "tmp");
  mkdirSync(tmpDir, { recursive: true });
  // Per run: a run taken over while still alive must not share a file with the run that replaced it.
  const zipFile = path.join(tmpDir, `export-${exportId}-${run.token}.zip`);
  const partsDir = path.join(tmpDir, `export-${exportId}-${run.token}.parts`);
  const archiveKey = `projects/${job.projectId}/exports/${exportId}-${run.token.slice(0, 8)}.zip`;
  let uploaded = false;
  let committed = false;
  const zip = createZipWriter(zipFile);
  const images = await db.image.findMany({
    where: { id: { in: items.map((i) => i.imageId) } },
    select: { id: true, width: true, height: true, exportCacheKey: true },
  });
  const imageOf = new Map(images.map((image) => [image.id, image]));
  const fileName = (item: TExportItem) => `images/${splitOf.get(item.subjectId)}/${item.imageId}.jpg`;
  // Tallied as the items stream by: counters only, never the hands (memory stays flat).
  const datasheet = createDatasheetTally();
  let handCount = 0;
  phaseDone("select");

  try {
    // 1. Images and labels, in shards. Shards of an earlier run of this job (taken over) go first.
    await removeExportShards(exportId, { runToken: run.token });
    const runItems = items.map((item) => ({ ...item, split: splitOf.get(item.subjectId)!, fileName: fileName(item) }));
    // A blurred export whose every image has an export cache copy (a repeat) is most likely all copying: the run
    // reads the labels itself, batch by batch, as it assembles, with no shards or fragments in between. Should a
    // batch find changed labels (images to blur again), the rest goes to shards, which other instances help with.
    let shardedFrom = !options.unblurred && images.every((image) => image.exportCacheKey) ? runItems.length : 0;
    const shardTheRest = async (from: number) => {
      shardedFrom = from;
      await workThroughShards(
        run,
        await createExportShards(exportId, run.token, runItems.slice(from), tuning.shardImages),
      );
    };
    if (shardedFrom === 0) await shardTheRest(0);
    phaseDone("shards");
    // The lines of every image, in export order: read directly up to `shardedFrom`, then from the shards' fragments.
    async function* lineBatches(): AsyncGenerator<TShardLine[]> {
      let next = 0;
      while (next < shardedFrom) {
        run.ensureOwned();
        const written: string[] = [];
        const batch = runItems.slice(next, next + (tuning.shardImages ?? DEFAULT_SHARD_IMAGES));
        const { lines } = await exportBatchLines(batch, options, {
          prefix: shardFolder(job.projectId, exportId, run.token),
          written,
          ensureOwned: () => run.ensureOwned(),
        }).catch(async (error: unknown) => {
          for (const key of written)
            await storage()
              .remove(key)
              .catch(() => {});
          throw error;
        });
        next += batch.length;
        yield lines;
        if (next < shardedFrom && lines.some((line) => !line.cached)) await shardTheRest(next);
      }
      for (const shard of await db.exportShard.findMany({
        where: { exportId, runToken: run.token },
        orderBy: { index: "asc" },
        select: { outputKey: true },
      })) {
        run.ensureOwned();
        const fragmentStarted = performance.now();
        const lines = await readShardLines(shard.outputKey!);
        exportPhaseMs.fragments += performance.now() - fragmentStarted;
        yield lines;
      }
    }

    // 2. Assembly, in one pass over the fragments.
    mkdirSync(partsDir, { recursive: true });
    const part = (name: string) => fileSink(path.join(partsDir, name));
    const coco = new Map(
      SPLITS.map((split) => {
        const sink = part(`coco-${split}.json`);
        const writer = createCocoWriter((chunk) => sink.write(chunk), {
          description: `${job.project.name} — ${split}`,
          version: packageJson.version,
          year: new Date().getFullYear(),
          date_created: new Date().toISOString(),
        });
        return [split, { sink, writer, ids: new Map<string, number>() }] as const;
      }),
    );
    const imagesListed = performance.now();
    for (const item of items) {
      const split = coco.get(splitOf.get(item.subjectId)!)!;
      split.ids.set(item.imageId, split.ids.size + 1);
      await split.writer.addImage({
        id: split.ids.size,
        file_name: fileName(item),
        width: imageOf.get(item.imageId)!.width,
        height: imageOf.get(item.imageId)!.height,
      });
    }
    exportPhaseMs.writeLabels += performance.now() - imagesListed;
    const full = part("phalanx.json");
    await full.write("[");
    const hf = options.formats.includes("hf")
      ? new Map(SPLITS.map((split) => [split, part(`hf-${split}.jsonl`)] as const))
      : null;
    let index = 0;
    for await (const lines of lineBatches()) {
      // The next images are read while the current one is written (a failed read is reported when its turn comes).
      const read = (key: string) =>
        storage()
          .get(key)
          .then(
            (bytes) => ({ bytes }),
            (error: unknown) => ({ error }),
          );
      const ahead = lines.slice(0, IMAGE_READ_AHEAD).map((line) => read(line.imageKey));
      for (const [i, { item, imageKey, imageSha256, subjectId }] of lines.entries()) {
        if (i + IMAGE_READ_AHEAD < lines.length) ahead.push(read(lines[i + IMAGE_READ_AHEAD].imageKey));
        const got = await ahead.shift()!;
        if ("error" in got)
          throw new Error(`The exported copy of image ${item.imageId} (${imageKey}) could not be read: ${got.error}`);
        // One buffer entry (yazl writes header, bytes and descriptor in one go), then wait while the file is behind.
        zip.addBuffer(item.file_name, got.bytes, { compress: false, sha256: imageSha256 });
        await zip.room(ZIP_QUEUE_BYTES);
        const labelsStarted = performance.now();

        const { writer, ids } = coco.get(item.split)!;
        // A joint outside the image was refused at save; should one be stored, the COCO writer fails the export naming it.
        for (const hand of item.hands) await writer.addAnnotation({ image_id: ids.get(item.imageId)!, hand });
        await full.write((index++ ? ",\n" : "\n") + JSON.stringify(item));
        if (options.formats.includes("yolo"))
          zip.addBuffer(`labels/${item.split}/${item.imageId}.txt`, Buffer.from(yoloLabelFile(item.hands, item).text));
        await hf?.get(item.split)!.write(hfMetadataLine(path.posix.basename(item.file_name), item, item.hands));

        datasheet.add({ kind: "image", imageId: item.imageId, subjectId });
        for (const hand of item.hands) datasheet.add({ kind: "hand", imageId: item.imageId, subjectId, hand });
        handCount += item.hands.length;
        exportPhaseMs.writeLabels += performance.now() - labelsStarted;
      }
      // Shards report 0–0.8 as they go; read directly, the images are the whole 0–0.9.
      const share = index / Math.max(1, items.length);
      await run.progress(shardedFrom === 0 ? 0.8 + 0.1 * share : 0.9 * share);
    }
    const labelsStarted = performance.now();
    await full.write("\n]\n");
    for (const split of SPLITS) {
      const { writer, sink } = coco.get(split)!;
      await writer.finish();
      await sink.end();
      run.ensureOwned();
      await zip.addFile(`annotations/${split}.json`, sink.filename);
    }
    await full.end();
    await zip.addFile("phalanx.json", full.filename);
    zip.addBuffer("phalanx.schema.json", Buffer.from(JSON.stringify(PHALANX_ITEM_SCHEMA, null, 2)));
    if (options.formats.includes("yolo"))
      zip.addBuffer(
        "data.yaml",
        Buffer.from(yoloDataYaml({ splits: { train: "images/train", val: "images/val", test: "images/test" } })),
      );
    // Hugging Face imagefolder (`datasets.load_dataset("imagefolder", data_dir="images")`): metadata beside each
    // non-empty split's images; an empty split gets none (`datasets` would find metadata but no image).
    if (hf) {
      for (const split of SPLITS) {
        const sink = hf.get(split)!;
        await sink.end();
        if (coco.get(split)!.ids.size) await zip.addFile(`images/${split}/${HF_METADATA_FILE}`, sink.filename);
      }
      zip.addBuffer("keypoints.json", Buffer.from(hfKeypointsJson()));
    }
    exportPhaseMs.writeLabels += performance.now() - labelsStarted;
    await run.progress(0.9);
    phaseDone("assembly");

    // 5. Datasheet (demographics aggregated only) and manifest.
    const subjects = await db.subject.findMany({
      where: { id: { in: [...new Set(items.map((i) => i.subjectId))] } },
      select: { id: true, ageBand: true, sexOrGender: true, monkSkinTone: true },
    });
    for (const subject of subjects)
      datasheet.add({
        kind: "subject",
        subjectId: subject.id,
        ageBand: subject.ageBand,
        sexOrGender: subject.sexOrGender,
        monkSkinTone: subject.monkSkinTone,
      });
    const filters = {
      statuses: options.statuses,
      subjects: options.subjectIds.length,
      gestures: options.gestures,
      from: options.from?.toISOString() ?? null,
      to: options.to?.toISOString() ?? null,
      splits: `train ${options.splits.train} / val ${options.splits.val} / test ${options.splits.test}`,
      seed: options.seed,
    };
    zip.addBuffer(
      "DATASHEET.md",
      Buffer.from(
        datasheetMarkdown(datasheet.stats(), {
          title: job.project.name,
          purpose: options.purpose,
          filters,
          fingertipsBlurred: !options.unblurred,
          unblurredReason: options.unblurredReason,
          createdAt: new Date().toISOString(),
          formats: options.formats,
        }) +
          "\n" +
          (await exportCoverageSection(
            job.projectId,
            items.map((i) => i.annotationId),
            balance,
          )),
      ),
    );
    const records = await db.consentRecord.findMany({
      where: { id: { in: [...new Set(items.map((i) => i.consentRecordId))] } },
      select: {
        id: true,
        scopes: true,
        signedAt: true,
        subject: { select: { code: true } },
        consentText: { select: { version: true, sha256: true } },
      },
    });
    const manifest = buildManifest({
      files: [...zip.files],
      consentRecords: records.map((r) => ({
        id: r.id,
        subjectCode: r.subject.code,
        textVersion: r.consentText.version,
        textSha256: r.consentText.sha256,
        scopes: z.array(ZConsentScope).parse(r.scopes),
        signedAt: r.signedAt.toISOString(),
      })),
      filters,
      purpose: options.purpose,
      unblurred: options.unblurred,
      unblurredReason: options.unblurredReason ?? null,
      appVersion: packageJson.version,
      createdAt: new Date().toISOString(),
      counts: { images: items.length, hands: handCount, subjects: subjects.length },
      leftOut,
      exportId,
      formats: options.formats,
      supersedes: await supersessionFor(
        exportId,
        items.map((i) => i.imageId),
      ),
    });
    zip.addBuffer("manifest.json", Buffer.from(manifestJson(manifest)));
    await zip.finish();

    await recordPendingObjects([archiveKey], "export_archive");
    await run.progress(0.95);
    uploaded = true;
    await storage().putFile(archiveKey, zipFile);
    run.ensureOwned();
    await db.$transaction(async (tx) => {
      await settlePendingObjects([archiveKey], tx);
      // The fencing check comes first: on PostgreSQL it also locks the row until the commit.
      const { count } = await tx.export.updateMany({
        where: run.owned,
        data: {
          status: "done",
          progress: 1,
          archiveKey,
          leaseToken: null,
          finishedAt: new Date(),
          manifest: { counts: manifest.counts, leftOut, files: zip.files.length },
        },
      });
      if (count !== 1)
        throw new LeaseLostError(
          `export ${exportId} was taken over by another instance before this run could finish; its archive was discarded`,
        );
      if (items.length) {
        await tx.exportImage.createMany({ data: items.map((item) => ({ exportId, imageId: item.imageId })) });
        await tx.exportConsent.createMany({ data: records.map((r) => ({ exportId, consentRecordId: r.id })) });
      }
      await revokeIfWithdrawnMeanwhile(tx, exportId, job.projectId);
      await recordAuditEvent(
        {
          actorId: job.requestedById,
          projectId: job.projectId,
          action: "export.completed",
          targetType: "export",
          targetId: exportId,
          details: { images: items.length, hands: handCount, leftOut, unblurred: options.unblurred },
        },
        tx,
      );
    });
    committed = true;
    phaseDone("finish");
    return { images: items.length, hands: handCount, leftOut };
  } finally {
    if (!committed) await zip.abort();
    rmSync(zipFile, { force: true });
    rmSync(partsDir, { recursive: true, force: true });
    // The shards' fragments (and an unblurred export's images) are no longer needed; the export cache stays, and
    // so do the shard rows (who ran which part) until the export is deleted or run again.
    await removeShardObjects(exportId, run.token, { blurred: !options.unblurred }).catch((error) =>
      console.warn(`[export] ${exportId}: shard leftovers stay for the storage reconciliation:`, error),
    );
    if (uploaded && !committed)
      await storage()
        .remove(archiveKey)
        .catch(() => {});
  }
}
