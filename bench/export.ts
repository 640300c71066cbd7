/**
 * Export benchmark (`npm run bench -- export`): a generated project of BENCH_EXPORT_IMAGES images
 * (default 10,000) with two accepted hands each, exported (blurred images, COCO, full JSON, datasheet,
 * manifest) twice: the first export blurs every image, the repeat copies them from the export cache.
 * Each figure beside its bare cost, measured in the same run, and its target (issue 15):
 *  - first export per image ≤ 1.3× a bare decode + re-encode of the same JPEG, as many at once as the export runs;
 *  - repeat export per image ≤ 2× a plain copy of the same bytes (each cached JPEG read from storage and written to
 *    one file, with the export's read-ahead); also printed: the repeat beside that copy plus the annotations part's
 *    bare cost, since a repeat export still reads and writes every label;
 *  - annotations part (reading labels + writing COCO, phalanx.json, YOLO, HF) ≤ 2× one batched read of the same
 *    rows + JSON.stringify of them;
 *  - peak RSS growth during the export ≤ 150 MiB.
 * `--instances=2` also runs a second process (scripts/export-shard-worker.ts) on the shards of a third export.
 * Also printed: sharp's fixed cost per call (a no-op pipeline on a 1×1 image, and the part of a 640×480 re-encode
 * that runs on the main thread before libvips takes over) and where the export's time goes, phase by phase.
 * BENCH_TRACE=1 lists the SQL statements of the repeat export grouped, with counts and times.
 * BENCH_PROFILE=<file> writes a V8 CPU profile of the repeat export (main thread) to <file>.
 * Then the import of the exported COCO train file (BENCH_EXPORT_IMPORT=0 skips it). The images share one stored 640×480 JPEG (generation is not
 * timed); set DATABASE_URL to a postgresql:// URL of an empty database to run on PostgreSQL.
 */
import { spawn } from "node:child_process";
import { createWriteStream, mkdtempSync, rmSync } from "node:fs";
import { once } from "node:events";
import os from "node:os";
import path from "node:path";

const IMAGES = Number(process.env.BENCH_EXPORT_IMAGES ?? 10_000);
/** BENCH_EXPORT_IMPORT=0 skips the import of the exported COCO file (minutes at 10,000 images on a loaded machine). */
const SKIP_IMPORT = process.env.BENCH_EXPORT_IMPORT === "0";
/** BENCH_EXPORT_SCALE=3: 1920×1440 images instead of 640×480 (where sharp's fixed cost per call matters less). */
const SCALE = Number(process.env.BENCH_EXPORT_SCALE ?? 1);
const INSTANCES = Number(process.argv.find((arg) => arg.startsWith("--instances="))?.split("=")[1] ?? 1);
const POSTGRES_URL = process.env.DATABASE_URL?.startsWith("postgresql:") ? process.env.DATABASE_URL : null;
const log = (line: string) => process.stdout.write(`${line}\n`);

/** BENCH_PROFILE=<file>: a V8 CPU profile of the repeat export (open in Chrome DevTools, or summarise its self times). */
async function startProfile() {
  const { Session } = await import("node:inspector/promises");
  const { writeFileSync } = await import("node:fs");
  const session = new Session();
  session.connect();
  await session.post("Profiler.enable");
  await session.post("Profiler.setSamplingInterval", { interval: 200 });
  await session.post("Profiler.start");
  return {
    async stop(file: string) {
      const { profile } = await session.post("Profiler.stop");
      writeFileSync(file, JSON.stringify(profile));
      session.disconnect();
      return file;
    },
  };
}

async function main() {
  const tmp = mkdtempSync(path.join(os.tmpdir(), "phalanx-bench-export-"));
  process.env.PHALANX_DATA_DIR = tmp;
  process.env.PHALANX_STORAGE = "local";
  process.env.DATABASE_URL = POSTGRES_URL ?? `file:${path.join(tmp, "bench.db")}`;
  try {
    const { applyMigrations } = await import("@/lib/server/db/migrate");
    if (POSTGRES_URL) await applyMigrations({ provider: "postgresql", url: POSTGRES_URL });
    else await applyMigrations({ provider: "sqlite", filename: path.join(tmp, "bench.db") });
    // The app's `db` with statement events (installed before any service loads it): the import's statement count
    // is its cost independent of the machine's load; BENCH_TRACE=1 also keeps the statements of the traced phase.
    const { databaseTarget } = await import("@/lib/env");
    const { openDatabase, onRawQuery } = await import("@/lib/server/db/open");
    const counting = openDatabase(databaseTarget(), { logQueries: true });
    (globalThis as { phalanxDb?: typeof counting }).phalanxDb = counting;
    let statements = 0;
    const trace: { query: string; duration: number }[] = [];
    let tracing = false;
    const record = (q: { query: string; duration: number }) => {
      statements++;
      if (tracing && process.env.BENCH_TRACE === "1") trace.push(q);
    };
    (counting as unknown as { $on(e: "query", f: (q: { query: string; duration: number }) => void): void }).$on(
      "query",
      record,
    );
    onRawQuery(counting, record);
    const { db } = await import("@/lib/server/db");
    const { storage } = await import("@/lib/server/storage/storage");
    const { DEMO_POSES, demoPoseToHand } = await import("@/lib/demo/poses");
    const { drawHandImage } = await import("@/lib/demo/draw-hand");
    const { createFixtureProject, createSubjectWithImages, createAnnotators } =
      await import("@/lib/server/queue/queue-test-fixtures");
    const { ZExportOptions } = await import("@/lib/export/options");
    const { requestExport, claimExportJob, executeExportJob } = await import("@/lib/server/export/export-jobs");
    const { importCoco } = await import("@/lib/server/import/import-coco");

    log(`generating ${IMAGES} images with ${2 * IMAGES} accepted hands…`);
    const fixture = await createFixtureProject();
    const { subject } = await createSubjectWithImages(fixture, 0);
    const [annotator] = await createAnnotators(fixture.project.id, 1);
    // BENCH_EXPORT_SCALE=k: the drawn 640×480 photo enlarged k times (hands too), with sensor-like noise so that the
    // JPEG is as costly to decode as a photo of that size; the default 1 is the drawn image itself.
    const WIDTH = 640 * SCALE;
    const HEIGHT = 480 * SCALE;
    const sharpForImage = (await import("sharp")).default;
    const drawn = await drawHandImage(DEMO_POSES[0]);
    const jpeg =
      SCALE === 1
        ? drawn
        : await sharpForImage(drawn)
            .resize(WIDTH, HEIGHT)
            .composite([
              {
                input: await sharpForImage({
                  create: {
                    width: WIDTH,
                    height: HEIGHT,
                    channels: 3,
                    background: "#000",
                    noise: { type: "gaussian", mean: 128, sigma: 14 },
                  },
                })
                  .png()
                  .toBuffer(),
                blend: "overlay",
              },
            ])
            .jpeg({ quality: 90 })
            .toBuffer();
    await storage().put("bench/original.jpg", jpeg);
    const scaled = (hand: ReturnType<typeof demoPoseToHand>) => ({
      ...hand,
      keypoints: hand.keypoints.map((p) => ({ ...p, x: p.x * SCALE, y: p.y * SCALE })),
      bbox: hand.bbox && {
        x: hand.bbox.x * SCALE,
        y: hand.bbox.y * SCALE,
        width: hand.bbox.width * SCALE,
        height: hand.bbox.height * SCALE,
      },
    });
    const handA = scaled(demoPoseToHand(DEMO_POSES[0]));
    const handB = { ...scaled(demoPoseToHand(DEMO_POSES[1])), handedness: "left" as const };
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
      await db.$transaction(
        async (tx) => {
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
                width: WIDTH,
                height: HEIGHT,
                metadata: {},
                originalFilename: `img-${i}.jpg`,
              },
            });
            const annotation = await tx.annotation.create({
              data: {
                imageId: image.id,
                annotatorId: annotator.id,
                status: "accepted",
                imageFlags: [],
                qualityFlags: [],
              },
            });
            await tx.hand.createMany({
              data: rows([handA, handB]).map((row) => ({ ...row, annotationId: annotation.id })),
            });
          }
        },
        { timeout: 300_000 },
      ); // a loaded machine takes longer than the 5 s default for 500 images
    }

    const sharp = (await import("sharp")).default;
    const { blurFingertips } = await import("@/lib/server/blur/blur-fingertips");
    const { exportPhaseMs, imageConcurrency } = await import("@/lib/server/export/export-shards");
    const { HAND_SELECT } = await import("@/lib/server/annotations/read-annotation-doc");
    const lanes = imageConcurrency();
    const perImage = async (count: number, concurrency: number, work: (i: number) => Promise<unknown>) => {
      let next = 0;
      const started = performance.now();
      const cpu = process.cpuUsage();
      await Promise.all(
        Array.from({ length: concurrency }, async () => {
          while (next < count) await work(next++);
        }),
      );
      cpuPerImage.set(work, cpuMs(process.cpuUsage(cpu)) / count);
      return (performance.now() - started) / count;
    };
    // CPU time (all of the process's threads: JavaScript and libvips) per image: what the work costs the machine,
    // much less sensitive than wall time to the other processes sharing the cores.
    const cpuPerImage = new Map<unknown, number>();
    const cpuMs = (usage: NodeJS.CpuUsage) => (usage.user + usage.system) / 1000;
    const SAMPLE = Math.min(IMAGES, 400);
    const reencode = () => sharp(jpeg).rotate().jpeg({ quality: 92 }).toBuffer();
    const bareOne = await perImage(SAMPLE, 1, reencode);
    const bareConcurrent = await perImage(SAMPLE, lanes, reencode);
    const blurAlone = () => blurFingertips(jpeg, [handA, handB], { size: { width: WIDTH, height: HEIGHT } });
    const blurConcurrent = await perImage(SAMPLE, lanes, blurAlone);
    // The blur's final call alone: decode + XOR with a difference image as large as the blur's (zeros here) + encode.
    // The rest of the blur is making that difference: the decode of the rows the regions reach, their blur, the XOR.
    const { fingertipRegions, FINGERTIP_GEOMETRY } = await import("@/lib/blur/fingertip-regions");
    const { ellipseBounds } = await import("@/lib/blur/ellipse");
    const extent = fingertipRegions([handA, handB], { width: WIDTH, height: HEIGHT }, FINGERTIP_GEOMETRY)
      .map((region) => ellipseBounds(region, WIDTH, HEIGHT)!)
      .reduce((a, b) => ({ ...a, x1: Math.max(a.x1, b.x1), y1: Math.max(a.y1, b.y1) }));
    const zeros = { width: extent.x1 + 1, height: extent.y1 + 1, channels: 3 as const };
    const zeroDifference = Buffer.alloc(zeros.width * zeros.height * 3);
    const finalCall = () =>
      sharp(jpeg).boolean(zeroDifference, "eor", { raw: zeros }).jpeg({ quality: 92, mozjpeg: false }).toBuffer();
    const finalConcurrent = await perImage(SAMPLE, lanes, finalCall);
    const bareCpu = cpuPerImage.get(reencode)!;
    const blurCpu = cpuPerImage.get(blurAlone)!;
    // sharp's fixed cost per call: a pipeline that does nothing, and the main-thread part of a call (building the
    // pipeline before libvips runs it on a worker thread), which the event loop pays for every call whatever the lanes.
    const pixel = Buffer.alloc(3);
    const noopCall = await perImage(SAMPLE, 1, () =>
      sharp(pixel, { raw: { width: 1, height: 1, channels: 3 } })
        .raw()
        .toBuffer(),
    );
    let mainThreadMs = 0;
    await perImage(SAMPLE, 1, () => {
      const pipeline = sharp(jpeg).rotate().jpeg({ quality: 92 });
      const started = performance.now();
      const done = pipeline.toBuffer();
      mainThreadMs += performance.now() - started;
      return done;
    });
    const callMainThread = mainThreadMs / SAMPLE;

    // Bare cost of the annotations part: one batched read of the same rows (as a shard reads them) + JSON.stringify.
    // In its own function so that none of it stays reachable while the export runs.
    const baseline = async () => {
      const ids = (
        await db.annotation.findMany({ where: { image: { projectId: fixture.project.id } }, select: { id: true } })
      ).map((a) => a.id);
      const started = performance.now();
      const docs = [];
      for (let i = 0; i < ids.length; i += 250)
        docs.push(
          ...(await db.annotation.findMany({
            where: { id: { in: ids.slice(i, i + 250) } },
            include: { hands: { select: HAND_SELECT }, reviews: { include: { pins: true } } },
          })),
        );
      const readMs = performance.now() - started;
      const before = performance.now();
      const bytes = JSON.stringify(docs).length;
      return { readMs, stringifyMs: performance.now() - before, bytes };
    };
    const { readMs, stringifyMs, bytes: bareBytes } = await baseline();

    const exportOnce = async (label: string) => {
      for (const phase of Object.keys(exportPhaseMs) as (keyof typeof exportPhaseMs)[]) exportPhaseMs[phase] = 0;
      global.gc?.();
      const rssBefore = process.memoryUsage().rss;
      let peak = rssBefore;
      // At the peak: how much of the process is JavaScript heap (live objects and not yet collected garbage) and
      // how much is Buffers, beside what libvips and the allocator hold.
      let atPeak = process.memoryUsage();
      const sampler = setInterval(() => {
        const usage = process.memoryUsage();
        if (usage.rss > peak) [peak, atPeak] = [usage.rss, usage];
      }, 50);
      const job = await requestExport(fixture.project.id, ZExportOptions.parse({ purpose: "research" }), null);
      const claim = await claimExportJob({ exportId: job.id });
      const started = performance.now();
      const cpu = process.cpuUsage();
      const result = await executeExportJob(claim!);
      const ms = performance.now() - started;
      const cpuMsPerImage = cpuMs(process.cpuUsage(cpu)) / IMAGES;
      clearInterval(sampler);
      const row = await db.export.findUniqueOrThrow({ where: { id: job.id } });
      if (!result) throw new Error(`${label} export failed: ${row.error}`);
      const labelsMs = exportPhaseMs.readLabels + exportPhaseMs.writeLabels;
      return { ms, cpuMsPerImage, rssBefore, peak, atPeak, row, result, labelsMs, phases: { ...exportPhaseMs } };
    };
    const first = await exportOnce("first");
    tracing = true;
    const profiler = process.env.BENCH_PROFILE ? await startProfile() : null;
    const repeat = await exportOnce("repeat");
    if (profiler) log(`repeat export's CPU profile: ${await profiler.stop(process.env.BENCH_PROFILE!)}`);
    tracing = false;

    // Bare cost of the repeat: a plain copy of the same bytes (each cached JPEG read from storage, written to one
    // file, no zip), with the export's read-ahead (IMAGE_READ_AHEAD reads in flight while one is written).
    const { IMAGE_READ_AHEAD } = await import("@/lib/server/export/run-export");
    const cached = await db.image.findMany({
      where: { projectId: fixture.project.id },
      select: { exportCacheKey: true },
    });
    const copyFile = createWriteStream(path.join(tmp, "copy.bin"));
    const copyStarted = performance.now();
    const reads = cached.slice(0, IMAGE_READ_AHEAD).map(({ exportCacheKey }) => storage().get(exportCacheKey!));
    for (let i = 0; i < cached.length; i++) {
      if (i + IMAGE_READ_AHEAD < cached.length) reads.push(storage().get(cached[i + IMAGE_READ_AHEAD].exportCacheKey!));
      if (!copyFile.write(await reads.shift()!)) await once(copyFile, "drain");
    }
    copyFile.end();
    await once(copyFile, "finish");
    const copyPerImage = (performance.now() - copyStarted) / cached.length;
    // What the archive format itself asks of every byte, beyond copying it: the sha256 the manifest records and the
    // CRC-32 of the zip entry (zlib's, which the zip writer gives yazl), measured on the same bytes.
    const { createHash } = await import("node:crypto");
    const { crc32 } = await import("node:zlib");
    const sample = await Promise.all(
      cached.slice(0, SAMPLE).map(({ exportCacheKey }) => storage().get(exportCacheKey!)),
    );
    const hashStarted = performance.now();
    for (const bytes of sample) {
      createHash("sha256").update(bytes).digest();
      crc32(bytes);
    }
    const hashPerImage = (performance.now() - hashStarted) / sample.length;

    let scaleOut: { ms: number; shards: string } | null = null;
    let machineScale = 0;
    if (INSTANCES > 1) {
      // What this machine gives INSTANCES lanes right now: the bare re-encode one at a time against INSTANCES at a
      // time (on a shared, loaded machine the other processes take the second core as often as not).
      const bareLanes = await perImage(SAMPLE, INSTANCES, reencode);
      machineScale = (await perImage(SAMPLE, 1, reencode)) / bareLanes;
      // A cold cache again, and a second process claiming shards of the same export as this one.
      await db.image.updateMany({ where: { projectId: fixture.project.id }, data: { exportCacheKey: null } });
      const others = Array.from({ length: INSTANCES - 1 }, () =>
        spawn(process.execPath, ["--conditions=react-server", "--import", "tsx", "scripts/export-shard-worker.ts"], {
          env: process.env,
          stdio: ["ignore", "pipe", "inherit"],
        }),
      );
      await Promise.all(others.map((child) => once(child.stdout!, "data")));
      const run = await exportOnce("scale-out");
      const shards = await db.exportShard.groupBy({
        by: ["claimedBy"],
        where: { exportId: run.row.id },
        _count: true,
      });
      scaleOut = { ms: run.ms, shards: shards.map((s) => `${s.claimedBy}: ${s._count}`).join(", ") };
      for (const child of others) child.kill("SIGTERM");
    }
    const row = first.row;
    const zipBytes = (await storage().get(row.archiveKey!)).length;
    let t = performance.now();

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
    statements = 0;
    const report = SKIP_IMPORT
      ? null
      : await importCoco(fixture.project.id, train, { skipInvalid: false }, fixture.manager.id);
    const importMs = performance.now() - t;
    const importStatements = statements;

    const ratio = (value: number, bare: number, target: number) =>
      `${(value / bare).toFixed(2)}× (target ≤ ${target}×${value / bare <= target ? ", met" : ", NOT met"})`;
    const load = os.loadavg()[0].toFixed(1);
    log("");
    log(
      `machine: ${os.cpus().length} CPUs, Node ${process.version}, ${POSTGRES_URL ? "PostgreSQL" : "SQLite"}, load avg ${load}`,
    );
    log(
      `export of ${first.result.images} images / ${first.result.hands} hands, zip ${(zipBytes / 1e6).toFixed(1)} MB, ${lanes} images at once`,
    );
    log(
      `bare decode + re-encode of the ${WIDTH}×${HEIGHT} JPEG (${(jpeg.length / 1e3).toFixed(0)} kB): ${bareOne.toFixed(2)} ms/image one at a time, ${bareConcurrent.toFixed(2)} ms/image ${lanes} at a time; blur alone ${blurConcurrent.toFixed(2)} ms/image ${lanes} at a time (${(blurConcurrent / bareConcurrent).toFixed(2)}× the bare re-encode)`,
    );
    log(
      `first export: ${(first.ms / 1000).toFixed(1)} s, ${(first.ms / IMAGES).toFixed(2)} ms/image = ${ratio(first.ms / IMAGES, bareConcurrent, 1.3)} the concurrent bare re-encode, ${(first.ms / IMAGES / blurConcurrent).toFixed(2)}× the blur alone`,
    );
    log(
      `CPU time per image (all threads): bare re-encode ${bareCpu.toFixed(2)} ms, blur alone ${blurCpu.toFixed(2)} ms (${(blurCpu / bareCpu).toFixed(2)}×), first export ${first.cpuMsPerImage.toFixed(2)} ms (${ratio(first.cpuMsPerImage, bareCpu, 1.3)} the bare re-encode's, ${(first.cpuMsPerImage / blurCpu).toFixed(2)}× the blur's), repeat export ${repeat.cpuMsPerImage.toFixed(2)} ms`,
    );
    log(
      `of the blur: its final decode + XOR + encode ${finalConcurrent.toFixed(2)} ms/image ${lanes} at a time (${(finalConcurrent / bareConcurrent).toFixed(2)}× the bare re-encode), making the difference image (a decode of the rows the regions reach, its blur, the XOR in JavaScript) ${(blurConcurrent - finalConcurrent).toFixed(2)} ms (${((blurConcurrent - finalConcurrent) / bareConcurrent).toFixed(2)}×)`,
    );
    log(
      `sharp's fixed cost per call: ${noopCall.toFixed(3)} ms for a no-op pipeline (1×1 raw → raw); ${callMainThread.toFixed(3)} ms of a ${WIDTH}×${HEIGHT} re-encode runs on the main thread (building the pipeline), paid once per call whatever the lanes; the blur makes 3 calls per image (crop decode, blur, decode + XOR + encode), the bare re-encode 1`,
    );
    log(
      `repeat export: ${(repeat.ms / 1000).toFixed(1)} s, ${(repeat.ms / IMAGES).toFixed(2)} ms/image; bare copy of the same bytes ${copyPerImage.toFixed(2)} ms/image: ${ratio(repeat.ms / IMAGES, copyPerImage, 2)}; beside the copy + the annotations part's bare cost (${(copyPerImage + (readMs + stringifyMs) / IMAGES).toFixed(2)} ms/image): ${ratio(repeat.ms / IMAGES, copyPerImage + (readMs + stringifyMs) / IMAGES, 2)}`,
    );
    log(
      `the archive format's own work on the same bytes (sha256 for the manifest + CRC-32 for the zip): ${hashPerImage.toFixed(2)} ms/image; repeat beside copy + hashing + the annotations part's bare cost (${(copyPerImage + hashPerImage + (readMs + stringifyMs) / IMAGES).toFixed(2)} ms/image): ${ratio(repeat.ms / IMAGES, copyPerImage + hashPerImage + (readMs + stringifyMs) / IMAGES, 2)}`,
    );
    for (const [name, run] of [
      ["first", first],
      ["repeat", repeat],
    ] as const) {
      const p = run.phases;
      log(
        `${name} export phases (ms): select ${p.select.toFixed(0)}, shards ${p.shards.toFixed(0)} (labels read ${p.readLabels.toFixed(0)}), assembly ${p.assembly.toFixed(0)} (labels written ${p.writeLabels.toFixed(0)}), datasheet + manifest + commit ${p.finish.toFixed(0)}; the shards' fragments (JSON lines written, then read and parsed) ${p.fragments.toFixed(0)}`,
      );
    }
    if (trace.length) {
      const groups = new Map<string, { count: number; ms: number }>();
      for (const q of trace) {
        const key = q.query.replace(/\s+/g, " ").slice(0, 110);
        const group = groups.get(key) ?? { count: 0, ms: 0 };
        group.count++;
        group.ms += Number(q.duration);
        groups.set(key, group);
      }
      log(`repeat export: ${trace.length} SQL statements; the most frequent:`);
      for (const [query, { count, ms }] of [...groups].sort((a, b) => b[1].count - a[1].count).slice(0, 15))
        log(`  ${String(count).padStart(6)}× ${ms.toFixed(0).padStart(6)} ms  ${query}`);
    }
    log(
      `annotations part (read labels + write COCO, phalanx.json, YOLO, HF): ${first.labelsMs.toFixed(0)} ms first, ${repeat.labelsMs.toFixed(0)} ms repeat; bare batched read ${readMs.toFixed(0)} ms + JSON.stringify ${stringifyMs.toFixed(0)} ms (${(bareBytes / 1e6).toFixed(1)} MB): ${ratio(first.labelsMs, readMs + stringifyMs, 2)}`,
    );
    for (const [name, run] of [
      ["first", first],
      ["repeat", repeat],
    ] as const)
      log(
        `peak RSS during the ${name} export ${(run.peak / 2 ** 20).toFixed(0)} MiB (before: ${(run.rssBefore / 2 ** 20).toFixed(0)} MiB, +${((run.peak - run.rssBefore) / 2 ** 20).toFixed(0)} MiB; target ≤ +150 MiB${run.peak - run.rssBefore <= 150 * 2 ** 20 ? ", met" : ", NOT met"}); at the peak the JavaScript heap held ${(run.atPeak.heapUsed / 2 ** 20).toFixed(0)} MiB (of ${(run.atPeak.heapTotal / 2 ** 20).toFixed(0)} MiB reserved), Buffers ${(run.atPeak.arrayBuffers / 2 ** 20).toFixed(0)} MiB`,
      );
    if (scaleOut)
      log(
        `scale-out export on ${INSTANCES} processes (cold cache): ${(scaleOut.ms / 1000).toFixed(1)} s, ${(scaleOut.ms / IMAGES).toFixed(2)} ms/image = ${(first.ms / scaleOut.ms).toFixed(2)}× the one-process first export (target near ${INSTANCES}× with a machine per instance; these share ${os.cpus().length} CPUs, on which ${INSTANCES} lanes of the bare re-encode just ran ${machineScale.toFixed(2)}× one lane); shards: ${scaleOut.shards}`,
      );
    if (report)
      log(
        `import of annotations/train.json (${(train.length / 1e6).toFixed(1)} MB, ${report.hands} hands on ${report.imported} images): ${(importMs / 1000).toFixed(1)} s, ${(importMs / report.imported).toFixed(1)} ms/image, ${importStatements} SQL statements (${(importStatements / report.imported).toFixed(2)} per image)`,
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
