/**
 * Export benchmark (`npm run bench -- export`): a generated project of BENCH_EXPORT_IMAGES images
 * (default 10,000) with two accepted hands each, exported (blurred images, COCO, full JSON, datasheet,
 * manifest); time and peak RSS, beside a bare JSON.stringify of the same annotations; then the import
 * of the exported COCO train file. The images share one stored 640×480 JPEG (generation is not timed).
 */
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";

const IMAGES = Number(process.env.BENCH_EXPORT_IMAGES ?? 10_000);
const log = (line: string) => process.stdout.write(`${line}\n`);

async function main() {
  const tmp = mkdtempSync(path.join(os.tmpdir(), "phalanx-bench-export-"));
  process.env.PHALANX_DATA_DIR = tmp;
  process.env.PHALANX_STORAGE = "local";
  process.env.DATABASE_URL = `file:${path.join(tmp, "bench.db")}`;
  try {
    const { applyMigrations } = await import("@/lib/server/db/migrate");
    await applyMigrations({ provider: "sqlite", filename: path.join(tmp, "bench.db") });
    const { db } = await import("@/lib/server/db");
    const { storage } = await import("@/lib/server/storage/storage");
    const { DEMO_POSES, demoPoseToHand } = await import("@/lib/demo/poses");
    const { drawHandImage } = await import("@/lib/demo/draw-hand");
    const { createFixtureProject, createSubjectWithImages, createAnnotators } =
      await import("@/lib/server/queue/queue-test-fixtures");
    const { ZExportOptions } = await import("@/lib/export/options");
    const { requestExport, claimExportJob, executeExportJob } = await import("@/lib/server/export/export-jobs");
    const { importCoco } = await import("@/lib/server/import/import-coco");
    const { readAnnotationDoc } = await import("@/lib/server/annotations/read-annotation-doc");

    log(`generating ${IMAGES} images with ${2 * IMAGES} accepted hands…`);
    const fixture = await createFixtureProject();
    const { subject } = await createSubjectWithImages(fixture, 0);
    const [annotator] = await createAnnotators(fixture.project.id, 1);
    const jpeg = await drawHandImage(DEMO_POSES[0]);
    await storage().put("bench/original.jpg", jpeg);
    const handA = demoPoseToHand(DEMO_POSES[0]);
    const handB = { ...demoPoseToHand(DEMO_POSES[1]), handedness: "left" as const };
    const rows = (hands: (typeof handA)[]) =>
      hands.map((h, position) => ({
        position,
        handedness: h.handedness,
        keypoints: h.keypoints,
        bbox: h.bbox ?? undefined,
        gesture: h.gesture,
        view: h.view,
        attributes: {},
        qualityFlags: [],
      }));
    for (let start = 0; start < IMAGES; start += 500) {
      await db.$transaction(async (tx) => {
        for (let i = start; i < Math.min(IMAGES, start + 500); i++) {
          const image = await tx.image.create({
            data: {
              projectId: fixture.project.id,
              subjectId: subject.id,
              originalKey: "bench/original.jpg",
              displayKey: "bench/original.jpg",
              thumbKey: "bench/original.jpg",
              sha256: `${i}`.padStart(64, "0"),
              byteSize: jpeg.length,
              mimeType: "image/jpeg",
              width: 640,
              height: 480,
              metadata: {},
              originalFilename: `img-${i}.jpg`,
            },
          });
          await tx.annotation.create({
            data: {
              imageId: image.id,
              annotatorId: annotator.id,
              status: "accepted",
              imageFlags: [],
              qualityFlags: [],
              hands: { create: rows([handA, handB]) },
            },
          });
        }
      });
    }

    // Bare cost: JSON.stringify of every annotation's hands, read the same way the export reads them.
    // In its own function so that none of it stays reachable while the export runs.
    const baseline = async () => {
      const annotations = await db.annotation.findMany({
        where: { image: { projectId: fixture.project.id } },
        select: { id: true },
      });
      const started = performance.now();
      const docs = [];
      for (const a of annotations) docs.push((await readAnnotationDoc(a.id)).doc);
      const readMs = performance.now() - started;
      const before = performance.now();
      const bytes = JSON.stringify(docs).length;
      return { readMs, stringifyMs: performance.now() - before, bytes };
    };
    const { readMs, stringifyMs, bytes: bareBytes } = await baseline();
    let t = performance.now();

    let peak = process.memoryUsage().rss;
    const sampler = setInterval(() => {
      peak = Math.max(peak, process.memoryUsage().rss);
    }, 50);
    const rssBefore = process.memoryUsage().rss;
    const job = await requestExport(fixture.project.id, ZExportOptions.parse({ purpose: "research" }), null);
    const claim = await claimExportJob({ exportId: job.id });
    t = performance.now();
    const result = await executeExportJob(claim!);
    const exportMs = performance.now() - t;
    clearInterval(sampler);
    const row = await db.export.findUniqueOrThrow({ where: { id: job.id } });
    const zipBytes = (await storage().get(row.archiveKey!)).length;

    // Import: the train split's COCO file, back into the same project (matched by image id).
    const yauzl = (await import("yauzl")).default;
    const zip = await storage().get(row.archiveKey!);
    const train: string = await new Promise((resolve, reject) =>
      yauzl.fromBuffer(zip, { lazyEntries: true }, (e, z) => {
        if (e || !z) return reject(e);
        z.on("entry", (entry) => {
          if (entry.fileName !== "annotations/train.json") return z.readEntry();
          z.openReadStream(entry, (err, s) => {
            if (err || !s) return reject(err);
            const c: Buffer[] = [];
            s.on("data", (d: Buffer) => c.push(d));
            s.on("end", () => resolve(Buffer.concat(c).toString()));
          });
        });
        z.readEntry();
      }),
    );
    t = performance.now();
    const report = await importCoco(fixture.project.id, train, { skipInvalid: false }, fixture.manager.id);
    const importMs = performance.now() - t;

    log("");
    log(`machine: ${os.cpus().length} CPUs, Node ${process.version}`);
    log(
      `export of ${result?.images} images / ${result?.hands} hands: ${(exportMs / 1000).toFixed(1)} s (${(exportMs / IMAGES).toFixed(2)} ms/image), zip ${(zipBytes / 1e6).toFixed(1)} MB`,
    );
    log(
      `  peak RSS during export ${(peak / 2 ** 20).toFixed(0)} MiB (before: ${(rssBefore / 2 ** 20).toFixed(0)} MiB, +${((peak - rssBefore) / 2 ** 20).toFixed(0)} MiB)`,
    );
    log(
      `bare: reading every annotation ${(readMs / 1000).toFixed(1)} s; JSON.stringify of them ${stringifyMs.toFixed(0)} ms (${(bareBytes / 1e6).toFixed(1)} MB)`,
    );
    log(`  export ÷ (read + stringify) = ${(exportMs / (readMs + stringifyMs)).toFixed(1)}×`);
    log(
      `import of annotations/train.json (${(train.length / 1e6).toFixed(1)} MB, ${report.hands} hands on ${report.imported} images): ${(importMs / 1000).toFixed(1)} s`,
    );
    await db.$disconnect();
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
