import "server-only";
import { mkdirSync, rmSync } from "node:fs";
import path from "node:path";
import sharp from "sharp";
import { z } from "zod";
import { ZExportOptions, type TExportOptions } from "@/lib/export/options";
import { createCocoWriter } from "@/lib/export/coco";
import { yoloDataYaml, yoloLabelFile } from "@/lib/export/yolo";
import { assignSplits, type Split } from "@/lib/export/splits";
import { collectDatasheetStats, datasheetMarkdown, type DatasheetItem } from "@/lib/export/datasheet";
import { buildManifest, manifestJson } from "@/lib/export/manifest";
import { ZConsentScope } from "@/lib/consent/schema";
import { keypointsOutsideImage, type THand } from "@/lib/hand/schema";
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
import { PHALANX_ITEM_SCHEMA, phalanxItem } from "./phalanx-format";

const SPLITS: Split[] = ["train", "val", "test"];

/**
 * Builds one export's zip: blurred metadata-free images, COCO keypoints per split, the project's own
 * full-fidelity JSON (with its JSON Schema), optional YOLO pose labels, DATASHEET.md and manifest.json
 * (sha256 of every file, the consent records relied on). Images are read one at a time and JSON is
 * streamed, so memory stays flat as the project grows. Records which images and consents it used.
 */
export async function runExport(exportId: string, onProgress: (share: number) => Promise<void> | void = () => {}) {
  const job = await db.export.findUniqueOrThrow({ where: { id: exportId }, select: { id: true, projectId: true, options: true, requestedById: true, project: { select: { name: true } } } });
  const options: TExportOptions = ZExportOptions.parse(job.options);
  const { items, leftOut, balance } = await selectExportItems(job.projectId, options);
  const splitOf = assignSplits(items.map((item) => item.subjectId), { ratios: options.splits, seed: options.seed });
  const tmpDir = path.join(dataDir(), "tmp");
  mkdirSync(tmpDir, { recursive: true });
  const zipFile = path.join(tmpDir, `export-${exportId}.zip`);
  const zip = createZipWriter(zipFile);
  const images = await db.image.findMany({ where: { id: { in: items.map((i) => i.imageId) } }, select: { id: true, width: true, height: true, originalKey: true, createdAt: true } });
  const imageOf = new Map(images.map((image) => [image.id, image]));
  const handsOf = async (item: TExportItem) => (await readAnnotationDoc(item.annotationId)).doc.hands;
  const fileName = (item: TExportItem) => `images/${splitOf.get(item.subjectId)}/${item.imageId}.jpg`;
  const datasheetItems: DatasheetItem[] = [];
  let handCount = 0;

  try {
    // 1. Images, blurred at the fingertips unless the manager exported originals with a recorded reason.
    for (const [index, item] of items.entries()) {
      const image = imageOf.get(item.imageId)!;
      const hands = await handsOf(item);
      const original = await storage().get(image.originalKey!);
      const jpeg = options.unblurred
        ? await sharp(original).rotate().jpeg({ quality: 92 }).toBuffer()
        : (await blurFingertips(original, hands)).jpeg;
      zip.addBuffer(fileName(item), jpeg, { compress: false });
      datasheetItems.push({ kind: "image", imageId: item.imageId, subjectId: item.subjectId });
      // Only what the datasheet tallies is kept per hand (states, not positions).
      for (const hand of hands) datasheetItems.push({ kind: "hand", imageId: item.imageId, subjectId: item.subjectId, hand: { handedness: hand.handedness, gesture: hand.gesture, view: hand.view, keypoints: hand.keypoints.map((p) => ({ x: 0, y: 0, state: p.state })) } });
      handCount += hands.length;
      if (index % 5 === 0) await onProgress((0.85 * index) / Math.max(1, items.length));
    }

    // 2. COCO keypoints per split: all images first, then all annotations, streamed.
    for (const split of SPLITS) {
      const inSplit = items.filter((item) => splitOf.get(item.subjectId) === split);
      const entry = zip.stream(`annotations/${split}.json`);
      const coco = createCocoWriter((chunk) => entry.write(chunk), { description: `${job.project.name} — ${split}`, version: packageJson.version, year: new Date().getFullYear(), date_created: new Date().toISOString() });
      const ids = new Map<string, number>();
      for (const item of inSplit) {
        const image = imageOf.get(item.imageId)!;
        ids.set(item.imageId, ids.size + 1);
        await coco.addImage({ id: ids.get(item.imageId)!, file_name: fileName(item), width: image.width, height: image.height });
      }
      for (const item of inSplit) {
        const image = imageOf.get(item.imageId)!;
        for (const hand of await handsOf(item)) {
          if (keypointsOutsideImage(hand.keypoints, image.width, image.height).length) continue; // refused at save; never expected here
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
      await full.write((index ? ",\n" : "\n") + JSON.stringify(await phalanxItem(item, fileName(item), splitOf.get(item.subjectId)!)));
    }
    await full.write("\n]\n");
    full.end();
    zip.addBuffer("phalanx.schema.json", Buffer.from(JSON.stringify(PHALANX_ITEM_SCHEMA, null, 2)));

    // 4. YOLO pose labels (Ultralytics layout).
    if (options.formats.includes("yolo")) {
      for (const item of items) {
        const image = imageOf.get(item.imageId)!;
        const { text } = yoloLabelFile(await handsOf(item), image);
        zip.addBuffer(`labels/${splitOf.get(item.subjectId)}/${item.imageId}.txt`, Buffer.from(text));
      }
      zip.addBuffer("data.yaml", Buffer.from(yoloDataYaml({ splits: { train: "images/train", val: "images/val", test: "images/test" } })));
    }
    await onProgress(0.9);

    // 5. Datasheet (demographics aggregated only) and manifest.
    const subjects = await db.subject.findMany({ where: { id: { in: [...new Set(items.map((i) => i.subjectId))] } }, select: { id: true, ageBand: true, sexOrGender: true, monkSkinTone: true } });
    for (const subject of subjects) datasheetItems.push({ kind: "subject", subjectId: subject.id, ageBand: subject.ageBand, sexOrGender: subject.sexOrGender, monkSkinTone: subject.monkSkinTone });
    const filters = { statuses: options.statuses, subjects: options.subjectIds.length, gestures: options.gestures, from: options.from?.toISOString() ?? null, to: options.to?.toISOString() ?? null, splits: `train ${options.splits.train} / val ${options.splits.val} / test ${options.splits.test}`, seed: options.seed };
    zip.addBuffer("DATASHEET.md", Buffer.from(datasheetMarkdown(collectDatasheetStats(datasheetItems), {
      title: job.project.name, purpose: options.purpose, filters, fingertipsBlurred: !options.unblurred, unblurredReason: options.unblurredReason,
      createdAt: new Date().toISOString(), formats: options.formats,
    }) + "\n" + (await exportCoverageSection(job.projectId, items.map((i) => i.annotationId), balance))));
    const records = await db.consentRecord.findMany({
      where: { id: { in: [...new Set(items.map((i) => i.consentRecordId))] } },
      select: { id: true, scopes: true, signedAt: true, subject: { select: { code: true } }, consentText: { select: { version: true, sha256: true } } },
    });
    const manifest = buildManifest({
      files: [...zip.files],
      consentRecords: records.map((r) => ({ id: r.id, subjectCode: r.subject.code, textVersion: r.consentText.version, textSha256: r.consentText.sha256, scopes: z.array(ZConsentScope).parse(r.scopes), signedAt: r.signedAt.toISOString() })),
      filters, purpose: options.purpose, unblurred: options.unblurred, unblurredReason: options.unblurredReason ?? null,
      appVersion: packageJson.version, createdAt: new Date().toISOString(),
      counts: { images: items.length, hands: handCount, subjects: subjects.length }, leftOut, exportId, formats: options.formats,
    });
    zip.addBuffer("manifest.json", Buffer.from(manifestJson(manifest)));
    await zip.finish();

    const archiveKey = `projects/${job.projectId}/exports/${exportId}.zip`;
    await storage().putFile(archiveKey, zipFile);
    await db.$transaction(async (tx) => {
      if (items.length) {
        await tx.exportImage.createMany({ data: items.map((item) => ({ exportId, imageId: item.imageId })) });
        await tx.exportConsent.createMany({ data: records.map((r) => ({ exportId, consentRecordId: r.id })) });
      }
      await tx.export.update({
        where: { id: exportId },
        data: { status: "done", progress: 1, archiveKey, finishedAt: new Date(), manifest: { counts: manifest.counts, leftOut, files: zip.files.length } },
      });
      await recordAuditEvent({ actorId: job.requestedById, projectId: job.projectId, action: "export.completed", targetType: "export", targetId: exportId, details: { images: items.length, hands: handCount, leftOut, unblurred: options.unblurred } }, tx);
    });
    return { images: items.length, hands: handCount, leftOut };
  } finally {
    rmSync(zipFile, { force: true });
  }
}

