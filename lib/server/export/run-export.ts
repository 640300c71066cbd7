import "server-only";
import { mkdirSync, rmSync } from "node:fs";
import path from "node:path";
import sharp from "sharp";
import { z } from "zod";
import { ZExportOptions, type TExportOptions } from "@/lib/export/options";
import { createCocoWriter } from "@/lib/export/coco";
import { yoloDataYaml, yoloLabelFile } from "@/lib/export/yolo";
import { assignSplits, SPLITS } from "@/lib/export/splits";
import { collectDatasheetStats, datasheetMarkdown, type DatasheetItem } from "@/lib/export/datasheet";
import { buildManifest, manifestJson } from "@/lib/export/manifest";
import { ZConsentScope } from "@/lib/consent/schema";
import { dataDir } from "@/lib/env";
import packageJson from "@/package.json";
import { db } from "@/lib/server/db";
import { storage } from "@/lib/server/storage/storage";
import { recordAuditEvent } from "@/lib/server/audit/record-audit-event";
import { readAnnotationDoc } from "@/lib/server/annotations/read-annotation-doc";
import { blurFingertips } from "@/lib/server/blur/blur-fingertips";
import { selectExportItems, type TExportItem } from "./select-export-items";
import { exportCoverageSection } from "@/lib/server/coverage/export-coverage";
import { createZipWriter } from "./zip-writer";
import { writeHfImagefolder } from "./write-hf-imagefolder";
import { supersessionFor } from "./rebuild-export";
import { revokeIfWithdrawnMeanwhile } from "./revoke-exports";
import { recordPendingObjects, settlePendingObjects } from "@/lib/server/storage/pending-objects";
import { PHALANX_ITEM_SCHEMA, phalanxItem } from "./phalanx-format";
import { LeaseLostError, type TExportRun } from "./export-lease";

/**
 * Builds one export's zip: blurred metadata-free images, COCO keypoints per split, the project's own
 * full-fidelity JSON (with its JSON Schema), optional YOLO pose labels, DATASHEET.md and manifest.json
 * (sha256 of every file, the consent records relied on). Images are read one at a time and JSON is
 * streamed, so memory stays flat as the project grows. Records which images and consents it used.
 *
 * Runs under `run`'s lease (lib/server/export/export-lease.ts): it checks between steps that it still owns the
 * job, writes to a temp file and an archive key of its own, and commits only if its fencing token still
 * holds; a run that lost the job removes what it wrote and throws LeaseLostError.
 */
export async function runExport(exportId: string, run: TExportRun) {
  const job = await db.export.findUniqueOrThrow({
    where: { id: exportId },
    select: { id: true, projectId: true, options: true, requestedById: true, project: { select: { name: true } } },
  });
  const options: TExportOptions = ZExportOptions.parse(job.options);
  const { items, leftOut, balance } = await selectExportItems(job.projectId, options);
  const splitOf = assignSplits(
    items.map((item) => item.subjectId),
    { ratios: options.splits, seed: options.seed },
  );
  const tmpDir = path.join(dataDir(), "tmp");
  mkdirSync(tmpDir, { recursive: true });
  // Per run: a run taken over while still alive must not share a file with the run that replaced it.
  const zipFile = path.join(tmpDir, `export-${exportId}-${run.token}.zip`);
  const archiveKey = `projects/${job.projectId}/exports/${exportId}-${run.token.slice(0, 8)}.zip`;
  let uploaded = false;
  let committed = false;
  const zip = createZipWriter(zipFile);
  const images = await db.image.findMany({
    where: { id: { in: items.map((i) => i.imageId) } },
    select: { id: true, width: true, height: true, originalKey: true, createdAt: true },
  });
  const imageOf = new Map(images.map((image) => [image.id, image]));
  const handsOf = async (item: TExportItem) => (await readAnnotationDoc(item.annotationId)).doc.hands;
  const fileName = (item: TExportItem) => `images/${splitOf.get(item.subjectId)}/${item.imageId}.jpg`;
  const datasheetItems: DatasheetItem[] = [];
  let handCount = 0;

  try {
    // 1. Images, blurred at the fingertips unless the manager exported originals with a recorded reason.
    for (const [index, item] of items.entries()) {
      run.ensureOwned();
      const image = imageOf.get(item.imageId)!;
      const hands = await handsOf(item);
      const original = await storage().get(image.originalKey!);
      const jpeg = options.unblurred
        ? await sharp(original).rotate().jpeg({ quality: 92 }).toBuffer()
        : (await blurFingertips(original, hands)).jpeg;
      zip.addBuffer(fileName(item), jpeg, { compress: false });
      datasheetItems.push({ kind: "image", imageId: item.imageId, subjectId: item.subjectId });
      // Only what the datasheet tallies is kept per hand (states, not positions).
      for (const hand of hands)
        datasheetItems.push({
          kind: "hand",
          imageId: item.imageId,
          subjectId: item.subjectId,
          hand: {
            handedness: hand.handedness,
            gesture: hand.gesture,
            view: hand.view,
            keypoints: hand.keypoints.map((p) => ({ x: 0, y: 0, state: p.state })),
          },
        });
      handCount += hands.length;
      if (index % 5 === 0) await run.progress((0.85 * index) / Math.max(1, items.length));
    }

    // 2. COCO keypoints per split: all images first, then all annotations, streamed.
    for (const split of SPLITS) {
      const inSplit = items.filter((item) => splitOf.get(item.subjectId) === split);
      const entry = zip.stream(`annotations/${split}.json`);
      const coco = createCocoWriter((chunk) => entry.write(chunk), {
        description: `${job.project.name} — ${split}`,
        version: packageJson.version,
        year: new Date().getFullYear(),
        date_created: new Date().toISOString(),
      });
      const ids = new Map<string, number>();
      for (const item of inSplit) {
        run.ensureOwned();
        const image = imageOf.get(item.imageId)!;
        ids.set(item.imageId, ids.size + 1);
        await coco.addImage({
          id: ids.get(item.imageId)!,
          file_name: fileName(item),
          width: image.width,
          height: image.height,
        });
      }
      for (const item of inSplit) {
        // A joint outside the image was refused at save; should one be stored, the COCO writer fails the export naming it.
        run.ensureOwned();
        for (const hand of await handsOf(item)) {
          await coco.addAnnotation({ image_id: ids.get(item.imageId)!, hand });
        }
      }
      await coco.finish();
      entry.end();
    }

    // 3. Full-fidelity JSON with its schema.
    const full = zip.stream("phalanx.json");
    await full.write("[");
    for (const [index, item] of items.entries()) {
      run.ensureOwned();
      await full.write(
        (index ? ",\n" : "\n") +
          JSON.stringify(
            await phalanxItem(item, fileName(item), splitOf.get(item.subjectId)!, {
              includeOriginalFileNames: options.includeOriginalFileNames,
            }),
          ),
      );
    }
    await full.write("\n]\n");
    full.end();
    zip.addBuffer("phalanx.schema.json", Buffer.from(JSON.stringify(PHALANX_ITEM_SCHEMA, null, 2)));

    // 4. YOLO pose labels (Ultralytics layout).
    if (options.formats.includes("yolo")) {
      for (const item of items) {
        run.ensureOwned();
        const image = imageOf.get(item.imageId)!;
        const { text } = yoloLabelFile(await handsOf(item), image);
        zip.addBuffer(`labels/${splitOf.get(item.subjectId)}/${item.imageId}.txt`, Buffer.from(text));
      }
      zip.addBuffer(
        "data.yaml",
        Buffer.from(yoloDataYaml({ splits: { train: "images/train", val: "images/val", test: "images/test" } })),
      );
    }

    // 4b. Hugging Face imagefolder metadata (`datasets.load_dataset("imagefolder", data_dir="images")`).
    if (options.formats.includes("hf"))
      await writeHfImagefolder(zip, items, { splitOf, imageOf, handsOf, fileName, run });
    await run.progress(0.9);

    // 5. Datasheet (demographics aggregated only) and manifest.
    const subjects = await db.subject.findMany({
      where: { id: { in: [...new Set(items.map((i) => i.subjectId))] } },
      select: { id: true, ageBand: true, sexOrGender: true, monkSkinTone: true },
    });
    for (const subject of subjects)
      datasheetItems.push({
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
        datasheetMarkdown(collectDatasheetStats(datasheetItems), {
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
      await revokeIfWithdrawnMeanwhile(
        tx,
        exportId,
        job.projectId,
        items.map((i) => i.imageId),
      );
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
    return { images: items.length, hands: handCount, leftOut };
  } finally {
    if (!committed) await zip.abort();
    rmSync(zipFile, { force: true });
    if (uploaded && !committed)
      await storage()
        .remove(archiveKey)
        .catch(() => {});
  }
}
