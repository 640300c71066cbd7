/**
 * Ingest benchmark (`npm run bench`): how much the ingest pipeline costs over a bare
 * decode + re-encode of the same 12-megapixel JPEGs, on local storage and on S3 (s3rver), and the
 * peak memory of a long ingest run.
 *
 *   BENCH_SOURCES=12      distinct generated 4000×3000 source JPEGs, written to a temp folder (a, b)
 *   BENCH_RSS_IMAGES=200  images ingested while sampling RSS every 50 ms (c); 0 skips it
 *
 * Uploads are processed one at a time, as one request handler would, against a temp SQLite database
 * and temp storage. (c) runs in a fresh child process that reads each upload from disk, so its RSS
 * is the ingest's own and not the generator's.
 */
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { randomUUID } from "node:crypto";

const SOURCES = Number(process.env.BENCH_SOURCES ?? 12);
const RSS_IMAGES = Number(process.env.BENCH_RSS_IMAGES ?? 200);
const WIDTH = 4000;
const HEIGHT = 3000;
const CHILD_FLAG = "--rss-child";
/** Issue 15: ingesting a photo may cost at most what a bare decode + re-encode of it costs. */
const TARGET = 1.0;

// Configuration before any lib module reads it (env() caches on first use). Each process has its own.
const tmp = mkdtempSync(path.join(os.tmpdir(), "phalanx-bench-"));
process.env.PHALANX_DATA_DIR = tmp;
process.env.DATABASE_URL = `file:${path.join(tmp, "bench.db")}`;
process.env.PHALANX_STORAGE = "local";
delete process.env.PHALANX_DB_PROVIDER;

const log = (line: string) => process.stdout.write(`${line}\n`);
const mib = (bytes: number) => `${(bytes / 2 ** 20).toFixed(0)} MiB`;

async function openLib() {
  const { default: sharp } = await import("sharp");
  const { applyMigrations } = await import("@/lib/server/db/migrate");
  await applyMigrations({ provider: "sqlite", filename: path.join(tmp, "bench.db") });
  const { db } = await import("@/lib/server/db");
  const { ingestImage } = await import("@/lib/server/images/ingest-image");
  const storageModule = await import("@/lib/server/storage/storage");
  const { s3Storage } = await import("@/lib/server/storage/s3-storage");
  const user = await db.user.create({
    data: { email: `bench-${randomUUID()}@bench.local`, name: "Bench", passwordHash: "x" },
  });
  type TStore = ReturnType<typeof storageModule.localStorage>;

  async function makeTarget() {
    const project = await db.project.create({
      data: { name: `Bench ${randomUUID()}`, gestures: [], handAttributes: [], imageFlags: [] },
    });
    const subject = await db.subject.create({ data: { projectId: project.id, code: "S-BENCH" } });
    return { projectId: project.id, subjectId: subject.id };
  }

  /** Ingests every input (loaded lazily, one at a time) into a new project; milliseconds. */
  async function ingestAll(
    count: number,
    load: (index: number) => Buffer,
    store: TStore,
  ): Promise<{ ms: number; projectId: string }> {
    const target = await makeTarget();
    const started = performance.now();
    for (let index = 0; index < count; index++) {
      await ingestImage(
        { ...target, bytes: load(index), filename: `bench-${index}.jpg`, uploadedById: user.id },
        { storage: store },
      );
    }
    return { ms: performance.now() - started, projectId: target.projectId };
  }

  return { sharp, db, s3Storage, localStorage: storageModule.localStorage, ingestAll };
}

/**
 * A distinct variant of a JPEG without re-encoding it: one entry of the first quantisation table is
 * raised by 1–3, so the entropy data stays valid but every block with a non-zero coefficient there
 * dequantises differently: the pixels change, and so does the stored sha256 (ingest would refuse a
 * duplicate, so the run checks this itself).
 */
function variant(jpeg: Buffer, n: number): Buffer {
  if (n === 0) return jpeg;
  if (n > 60) throw new Error("at most 60 variants per source; raise BENCH_SOURCES");
  const out = Buffer.from(jpeg);
  let at = 2;
  while (at + 4 < out.length && !(out[at] === 0xff && out[at + 1] === 0xdb)) at += 2 + out.readUInt16BE(at + 2);
  if (at + 4 >= out.length || out[at + 4] >> 4 !== 0) throw new Error("no 8-bit DQT segment found");
  const entry = at + 5 + 1 + ((n - 1) % 20); // zig-zag positions 1..20: low frequencies, non-zero in nearly every block
  out[entry] = Math.min(255, out[entry] + 1 + Math.floor((n - 1) / 20));
  return out;
}

/** Child process for (c): ingest RSS_IMAGES uploads read from the source folder, report JSON. */
async function rssChild(sourceDir: string) {
  const lib = await openLib();
  const files = readdirSync(sourceDir)
    .filter((name) => name.endsWith(".jpg"))
    .sort()
    .map((name) => path.join(sourceDir, name));
  const store = lib.localStorage(path.join(tmp, "storage"));
  // Warm-up outside the measurement: first decode, first insert.
  await lib.ingestAll(1, () => readFileSync(files[0]), store);
  const baseline = process.memoryUsage().rss;
  let peak = baseline;
  const sampler = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage().rss);
  }, 50);
  const run = await lib.ingestAll(
    RSS_IMAGES,
    (i) => variant(readFileSync(files[i % files.length]), Math.floor(i / files.length)),
    store,
  );
  clearInterval(sampler);
  peak = Math.max(peak, process.memoryUsage().rss);
  const stored = await lib.db.image.count({ where: { projectId: run.projectId } });
  process.stdout.write(
    `RESULT ${JSON.stringify({ ms: run.ms, baseline, peak, stored, end: process.memoryUsage().rss })}\n`,
  );
  await lib.db.$disconnect();
}

async function main() {
  const lib = await openLib();
  const { sharp } = lib;
  const { startS3Server } = await import("@/test/s3-server");
  const s3 = await startS3Server({ bucket: "phalanx-bench" });
  try {
    log(
      `phalanx ingest benchmark: node ${process.version}, sharp ${sharp.versions.sharp} / libvips ${sharp.versions.vips}, ${os.cpus().length} CPUs (${os.cpus()[0]?.model.trim()}), libvips threads ${sharp.concurrency()}`,
    );

    // Realistic-size photos: a smooth scene (gradient and blobs) plus sensor-like noise, JPEG q90.
    const generateStarted = performance.now();
    const sourceDir = path.join(tmp, "sources");
    mkdirSync(sourceDir);
    const noise = await sharp({
      create: {
        width: WIDTH,
        height: HEIGHT,
        channels: 3,
        background: "#000",
        noise: { type: "gaussian", mean: 128, sigma: 14 },
      },
    })
      .raw()
      .toBuffer();
    const sources: Buffer[] = [];
    for (let i = 0; i < SOURCES; i++) {
      const hue = (i * 47) % 360;
      const blobs = Array.from({ length: 6 }, (_, k) => {
        const cx = ((i + 1) * 613 * (k + 1)) % WIDTH;
        const cy = ((i + 3) * 421 * (k + 2)) % HEIGHT;
        return `<ellipse cx="${cx}" cy="${cy}" rx="${300 + k * 60}" ry="${500 - k * 40}" fill="hsl(${(hue + k * 35) % 360},45%,${40 + k * 5}%)" transform="rotate(${k * 25} ${cx} ${cy})"/>`;
      }).join("");
      const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${HEIGHT}"><defs><linearGradient id="g" x1="0" y1="0" x2="1" y2="1"><stop offset="0" stop-color="hsl(${hue},30%,75%)"/><stop offset="1" stop-color="hsl(${(hue + 120) % 360},35%,25%)"/></linearGradient></defs><rect width="100%" height="100%" fill="url(#g)"/>${blobs}</svg>`;
      const pixels = await sharp(Buffer.from(svg)).removeAlpha().raw().toBuffer();
      const shift = i * 7919 * 3;
      for (let j = 0; j < pixels.length; j++) {
        const value = pixels[j] + noise[(j + shift) % noise.length] - 128;
        pixels[j] = value < 0 ? 0 : value > 255 ? 255 : value;
      }
      const jpeg = await sharp(pixels, { raw: { width: WIDTH, height: HEIGHT, channels: 3 } })
        .jpeg({ quality: 90 })
        .toBuffer();
      writeFileSync(path.join(sourceDir, `source-${String(i).padStart(3, "0")}.jpg`), jpeg);
      sources.push(jpeg);
    }
    const sizes = sources.map((bytes) => bytes.length / 1e6);
    log(
      `${SOURCES} sources of ${WIDTH}×${HEIGHT} generated in ${((performance.now() - generateStarted) / 1000).toFixed(1)} s into ${sourceDir}; ` +
        `${Math.min(...sizes).toFixed(2)}–${Math.max(...sizes).toFixed(2)} MB, mean ${(sizes.reduce((a, b) => a + b, 0) / sizes.length).toFixed(2)} MB`,
    );

    // Warm-up: first use of the decoder/encoder paths and the database.
    await sharp(sources[0]).rotate().jpeg({ quality: 92, mozjpeg: false }).toBuffer();

    const rows: string[][] = [];
    const row = (
      step: string,
      images: number,
      ms: number,
      bareRate: number | null,
      note: string,
      target: number | null = null,
    ) => {
      const rate = images / (ms / 1000);
      const ratio = bareRate ? bareRate / rate : 1;
      rows.push([
        step,
        String(images),
        (ms / 1000).toFixed(1),
        rate.toFixed(2),
        ratio.toFixed(2),
        target === null ? "" : `≤ ${target.toFixed(2)}× ${ratio <= target ? "met" : "MISSED"}`,
        note,
      ]);
      return rate;
    };

    // (a) bare: the least any server must do, decode and re-encode the original (same settings as ingest).
    const started = performance.now();
    for (const bytes of sources)
      await sharp(bytes, { failOn: "truncated" }).rotate().jpeg({ quality: 92, mozjpeg: false }).toBuffer();
    const bareRate = row(
      "(a) bare: sharp decode + JPEG re-encode",
      sources.length,
      performance.now() - started,
      null,
      "original only, nothing stored",
    );

    // (b) the full pipeline: sniff, limits, decode, orient, strip, 3 renditions, sha256, 3 writes, row + audit.
    const localStore = lib.localStorage(path.join(tmp, "storage"));
    const local = await lib.ingestAll(sources.length, (i) => sources[i], localStore);
    row(
      "(b) ingestImage → local storage",
      sources.length,
      local.ms,
      bareRate,
      "original (metadata cut, not re-encoded) + display + thumb, row + audit",
      TARGET,
    );
    const s3Store = lib.s3Storage({
      bucket: s3.bucket,
      endpoint: s3.endpoint,
      region: s3.region,
      accessKeyId: s3.accessKeyId,
      secretAccessKey: s3.secretAccessKey,
      forcePathStyle: true,
    });
    const remote = await lib.ingestAll(sources.length, (i) => sources[i], s3Store);
    row(
      "(b) ingestImage → S3 (s3rver)",
      sources.length,
      remote.ms,
      bareRate,
      "s3rver runs in this process, on the same CPUs",
    );

    // (c) a long run in a fresh process.
    let rssLine = "(c) skipped (BENCH_RSS_IMAGES=0)";
    if (RSS_IMAGES > 0) {
      log(`(c) ingesting ${RSS_IMAGES} distinct uploads in a child process…`);
      const child = spawnSync(process.execPath, [...process.execArgv, process.argv[1], CHILD_FLAG, sourceDir], {
        encoding: "utf8",
        env: process.env,
        stdio: ["ignore", "pipe", "inherit"],
        maxBuffer: 16 * 1024 * 1024,
      });
      const result = /^RESULT (.*)$/m.exec(child.stdout ?? "");
      if (child.status !== 0 || !result)
        throw new Error(`(c) child failed with exit ${child.status}:\n${child.stdout}`);
      const rss = JSON.parse(result[1]) as { ms: number; baseline: number; peak: number; stored: number; end: number };
      if (rss.stored !== RSS_IMAGES) throw new Error(`(c) stored ${rss.stored} images, expected ${RSS_IMAGES}`);
      row(
        `(c) ingestImage × ${RSS_IMAGES} → local, distinct sha256`,
        RSS_IMAGES,
        rss.ms,
        bareRate,
        `peak RSS ${mib(rss.peak)}`,
      );
      rssLine = `(c) RSS sampled every 50 ms in the child: ${mib(rss.baseline)} after start-up and one warm-up ingest, peak ${mib(rss.peak)} (+${mib(rss.peak - rss.baseline)}), ${mib(rss.end)} at the end; all ${rss.stored} rows stored`;
    }

    const header = ["step", "images", "seconds", "images/s", "× bare cost", "target", "note"];
    const widths = header.map((title, column) => Math.max(title.length, ...rows.map((cells) => cells[column].length)));
    const line = (cells: string[]) =>
      cells
        .map((cell, column) =>
          column === 0 || column >= 5 ? cell.padEnd(widths[column]) : cell.padStart(widths[column]),
        )
        .join("  ");
    log("");
    log(line(header));
    log(widths.map((width) => "-".repeat(width)).join("  "));
    for (const cells of rows) log(line(cells));
    log("");
    log(rssLine);

    const sample = await lib.db.image.findMany({
      where: { projectId: local.projectId },
      select: { originalKey: true, displayKey: true, thumbKey: true },
    });
    const mean = async (key: "originalKey" | "displayKey" | "thumbKey") =>
      (await Promise.all(sample.map(async (image) => (await localStore.get(image[key]!)).length))).reduce(
        (a, b) => a + b,
        0,
      ) /
      sample.length /
      1e6;
    log(
      `stored per image (mean): original ${(await mean("originalKey")).toFixed(2)} MB, display ${(await mean("displayKey")).toFixed(2)} MB, thumb ${((await mean("thumbKey")) * 1000).toFixed(0)} KB`,
    );
  } finally {
    await s3.stop();
    await lib.db.$disconnect();
  }
}

const run = process.argv[2] === CHILD_FLAG ? rssChild(process.argv[3]) : main();
run
  .then(() => rmSync(tmp, { recursive: true, force: true }))
  .catch((error) => {
    console.error(error);
    rmSync(tmp, { recursive: true, force: true });
    process.exit(1);
  });
