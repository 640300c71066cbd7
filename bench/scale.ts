/**
 * Scale benchmark (`npm run bench -- scale`): every list, filter and aggregate a person uses, timed on a
 * generated project of N images (bench/support/scale-project.ts), calling the same functions the pages
 * and API routes call.
 *
 *   npm run bench -- scale --sqlite=10000,100000 --postgresql=100000,1000000
 *   BENCH_POSTGRES_URL=postgresql://postgres@127.0.0.1:5432/postgres   admin URL; a temporary database per size is created and dropped
 *   --repeats=11   timed calls per figure after one warm-up call (fewer when a call takes seconds)
 *   --keep-db      PostgreSQL: keep the generated database (its name is printed) to measure again later
 *   --use-db=NAME  PostgreSQL: measure a database kept earlier (pending migrations are applied first), one size only
 *   --only=TEXT    time only the figures whose name contains TEXT (e.g. --only=claim)
 *
 * Each (database, size) runs in its own child process, so the RSS printed is that size's alone; beside it the live
 * heap after a full collection (the child runs with --expose-gc) before and after the figures: flat means no figure
 * left rows behind. Beside each
 * figure: the bare cost (one indexed page of 60 image ids, the least a page can read) and, between sizes,
 * the ratio of the figures (×10 data: a ratio near 1 is flat, near 10 linear, far above 10 quadratic).
 */
import { spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import Database from "better-sqlite3";
import pg from "pg";
import type { TScaleProject } from "./support/scale-project";

const POSTGRES_ADMIN_URL = process.env.BENCH_POSTGRES_URL ?? "postgresql://postgres@127.0.0.1:5432/postgres";
const CHILD_FLAG = "--scale-child";
const TARGET_P95_MS = 300;
const log = (line: string) => process.stdout.write(`${line}\n`);
const arg = (name: string) => process.argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3);
const sizes = (value: string | undefined, fallback: number[]) =>
  value === undefined ? fallback : value === "" || value === "0" ? [] : value.split(",").map(Number);
const REPEATS = Number(arg("repeats") ?? 11);

type TFigure = { name: string; p50: number; p95: number; samples: number; rssMb: number; error?: string };
type TRun = {
  provider: string;
  images: number;
  generateMs: number;
  rows: Record<string, number>;
  bareMs: number;
  figures: TFigure[];
  rssAfterGenerateMb: number;
  rssEndMb: number;
  maxRssMb: number;
  /** Live JavaScript heap after a full collection: what the process holds, not garbage not yet collected. */
  heapBeforeCasesMb: number;
  heapEndMb: number;
};

const percentile = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
const rssMb = () => process.memoryUsage().rss / 2 ** 20;
/** The child runs with --expose-gc: a full collection first, so the heap figure is what is still held. */
const liveHeapMb = () => {
  (globalThis as { gc?: () => void }).gc?.();
  return process.memoryUsage().heapUsed / 2 ** 20;
};

async function child(provider: "sqlite" | "postgresql", images: number) {
  const tmp = mkdtempSync(path.join(os.tmpdir(), "phalanx-bench-scale-"));
  process.env.PHALANX_DATA_DIR = tmp;
  process.env.PHALANX_STORAGE = "local";
  delete process.env.PHALANX_DB_PROVIDER;
  let cleanup = async () => {};
  let saveKept = (_project: TScaleProject) => {};
  try {
    const { applyMigrations } = await import("@/lib/server/db/migrate");
    const { generateScaleProject, postgresSink, sqliteSink } = await import("./support/scale-project");
    let sink;
    let analyse: () => Promise<void>;
    let bare: () => Promise<unknown>;
    let kept: TScaleProject | null = null;
    if (provider === "postgresql") {
      const reuse = arg("use-db");
      const keep = !!reuse || process.argv.includes("--keep-db");
      const name = reuse ?? `phalanx_scale_${randomBytes(6).toString("hex")}`;
      const keptFile = path.join(os.tmpdir(), `${name}.json`);
      if (reuse) kept = JSON.parse(readFileSync(keptFile, "utf8")) as TScaleProject;
      else {
        const admin = new pg.Client({ connectionString: POSTGRES_ADMIN_URL });
        await admin.connect();
        await admin.query(`CREATE DATABASE "${name}"`);
        await admin.end();
      }
      if (keep)
        process.stderr.write(`  database ${name} is kept (${keptFile}); measure it again with --use-db=${name}\n`);
      saveKept = (project) => {
        if (keep && !reuse) writeFileSync(keptFile, JSON.stringify(project));
      };
      const url = new URL(POSTGRES_ADMIN_URL);
      url.pathname = `/${name}`;
      process.env.DATABASE_URL = url.toString();
      await applyMigrations({ provider, url: url.toString() });
      const client = new pg.Client({ connectionString: url.toString() });
      await client.connect();
      sink = kept ? null : await postgresSink(client);
      // VACUUM as autovacuum would soon after a bulk load: statistics and the visibility map (index-only scans).
      analyse = async () => {
        await client.query("VACUUM ANALYZE");
      };
      bare = () =>
        client.query(`SELECT "id" FROM "Image" WHERE "projectId" = $1 ORDER BY "createdAt" DESC LIMIT 60`, [
          projectIdRef.id,
        ]);
      cleanup = async () => {
        await client.end();
        if (keep) return;
        const dropper = new pg.Client({ connectionString: POSTGRES_ADMIN_URL });
        await dropper.connect();
        await dropper.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
        await dropper.end();
      };
    } else {
      const filename = path.join(tmp, "scale.db");
      process.env.DATABASE_URL = `file:${filename}`;
      await applyMigrations({ provider, filename });
      const raw = new Database(filename);
      raw.pragma("journal_mode = WAL");
      sink = sqliteSink(raw);
      analyse = async () => {
        raw.exec("ANALYZE");
      };
      const statement = raw.prepare(
        `SELECT "id" FROM "Image" WHERE "projectId" = ? ORDER BY "createdAt" DESC LIMIT 60`,
      );
      bare = async () => statement.all(projectIdRef.id);
      cleanup = async () => {
        raw.close();
      };
    }
    const projectIdRef = { id: "" };
    const { db } = await import("@/lib/server/db");
    if (provider === "sqlite") await db.$queryRawUnsafe("PRAGMA journal_mode=WAL");

    const generateStarted = performance.now();
    const project =
      kept ?? (await generateScaleProject(db, sink!, { images, log: (line) => process.stderr.write(`${line}\n`) }));
    saveKept(project);
    await analyse();
    const generateMs = performance.now() - generateStarted;
    projectIdRef.id = project.projectId;
    const rssAfterGenerateMb = rssMb();

    const { cases } = await import("./support/scale-cases");
    const time = async (fn: () => Promise<unknown>) => {
      const started = performance.now();
      await fn();
      return performance.now() - started;
    };
    const measure = async (fn: () => Promise<unknown>) => {
      const first = await time(fn); // warm-up: prepared statements, pool connections, caches
      const repeats = first > 3000 ? 0 : first > 500 ? Math.min(REPEATS, 3) : REPEATS;
      const samples = repeats === 0 ? [first] : [];
      for (let r = 0; r < repeats; r++) samples.push(await time(fn));
      return samples.sort((a, b) => a - b);
    };
    const bareSamples = await measure(bare);
    const heapBeforeCasesMb = liveHeapMb();
    const figures: TFigure[] = [];
    const only = arg("only");
    for (const { name, run } of (await cases(db, project)).filter((c) => !only || c.name.includes(only))) {
      let samples: number[];
      try {
        samples = await measure(run);
      } catch (error) {
        const message = (error instanceof Error ? error.message : String(error)).trim().split("\n").pop()!.slice(0, 80);
        figures.push({ name, p50: NaN, p95: NaN, samples: 0, rssMb: rssMb(), error: message });
        process.stderr.write(`  ${provider} ${images}: ${name}: FAILED ${message}\n`);
        continue;
      }
      figures.push({
        name,
        p50: percentile(samples, 50),
        p95: percentile(samples, 95),
        samples: samples.length,
        rssMb: rssMb(),
      });
      process.stderr.write(`  ${provider} ${images}: ${name}: p95 ${percentile(samples, 95).toFixed(1)} ms\n`);
    }
    const result: TRun = {
      provider,
      images,
      generateMs,
      rows: project.rows,
      bareMs: percentile(bareSamples, 50),
      figures,
      rssAfterGenerateMb,
      rssEndMb: rssMb(),
      maxRssMb: process.resourceUsage().maxRSS / 1024,
      heapBeforeCasesMb,
      heapEndMb: liveHeapMb(),
    };
    await db.$disconnect();
    process.stdout.write(`RESULT ${JSON.stringify(result)}\n`);
  } finally {
    await cleanup();
    rmSync(tmp, { recursive: true, force: true });
  }
}

function printRuns(runs: TRun[]) {
  for (const provider of ["sqlite", "postgresql"]) {
    const mine = runs.filter((r) => r.provider === provider).sort((a, b) => a.images - b.images);
    if (mine.length === 0) continue;
    log(`\n${provider}`);
    for (const run of mine) {
      log(
        `  ${run.images} images: generated in ${(run.generateMs / 1000).toFixed(1)} s (${Object.entries(run.rows)
          .map(([t, n]) => `${n} ${t}`)
          .join(
            ", ",
          )}); bare cost ${run.bareMs.toFixed(2)} ms; RSS after generation ${run.rssAfterGenerateMb.toFixed(0)} MB, at the end ${run.rssEndMb.toFixed(0)} MB (${run.rssEndMb >= run.rssAfterGenerateMb ? "+" : ""}${(run.rssEndMb - run.rssAfterGenerateMb).toFixed(0)} MB across the figures), peak ${run.maxRssMb.toFixed(0)} MB; live heap after GC ${run.heapBeforeCasesMb.toFixed(0)} MB before the figures, ${run.heapEndMb.toFixed(0)} MB after (${run.heapEndMb >= run.heapBeforeCasesMb ? "+" : ""}${(run.heapEndMb - run.heapBeforeCasesMb).toFixed(0)} MB)`,
      );
    }
    const header = [
      "figure",
      ...mine.flatMap((r) => [`p50 @${r.images}`, `p95 @${r.images}`, "×bare"]),
      ...mine.slice(1).map((r, i) => `p95 ratio ${mine[i].images}→${r.images}`),
      "RSS MB",
    ];
    const names = mine[0].figures.map((f) => f.name);
    const table = names.map((name) => {
      const figs = mine.map((r) => r.figures.find((f) => f.name === name));
      const last = figs[figs.length - 1];
      return [
        name,
        ...figs.flatMap((f, i) =>
          f?.error
            ? ["failed", "failed", "–"]
            : f
              ? [
                  f.p50.toFixed(1),
                  `${f.p95.toFixed(1)}${f.samples === 1 ? "¹" : ""}`,
                  (f.p95 / mine[i].bareMs).toFixed(0),
                ]
              : ["–", "–", "–"],
        ),
        ...figs
          .slice(1)
          .map((f, i) => (f && figs[i] && !f.error && !figs[i]!.error ? `×${(f.p95 / figs[i]!.p95).toFixed(1)}` : "–")),
        last ? last.rssMb.toFixed(0) : "–",
      ];
    });
    const widths = header.map((h, i) => Math.max(h.length, ...table.map((row) => row[i].length)));
    const format = (cells: string[]) =>
      cells.map((cell, i) => (i === 0 ? cell.padEnd(widths[i]) : cell.padStart(widths[i]))).join("  ");
    log(format(header));
    log(widths.map((w) => "-".repeat(w)).join("  "));
    for (const row of table) log(format(row));
    const largest = mine[mine.length - 1];
    const over = largest.figures.filter((f) => f.error || f.p95 > TARGET_P95_MS);
    log(
      over.length === 0
        ? `  every figure ≤ ${TARGET_P95_MS} ms p95 at ${largest.images} images`
        : `  over ${TARGET_P95_MS} ms p95 at ${largest.images} images: ${over.map((f) => `${f.name} (${f.error ? `failed: ${f.error}` : `${f.p95.toFixed(0)} ms`})`).join(", ")}`,
    );
  }
  log("  ¹ a single call (it took over 3 s)");
}

async function main() {
  const plan: ["sqlite" | "postgresql", number][] = [
    ...sizes(arg("sqlite"), [10_000, 100_000]).map((n) => ["sqlite", n] as ["sqlite", number]),
    ...sizes(arg("postgresql"), [100_000, 1_000_000]).map((n) => ["postgresql", n] as ["postgresql", number]),
  ];
  log(
    `phalanx scale benchmark: node ${process.version}, ${os.cpus().length} CPUs (${os.cpus()[0]?.model.trim()}); ${plan.map(([p, n]) => `${p} ${n}`).join(", ")}; ${REPEATS} timed calls per figure`,
  );
  const runs: TRun[] = [];
  for (const [provider, images] of plan) {
    if (provider === "postgresql") {
      const probe = new pg.Client({ connectionString: POSTGRES_ADMIN_URL, connectionTimeoutMillis: 3000 });
      const reachable = await probe.connect().then(
        () => probe.end().then(() => true),
        () => false,
      );
      if (!reachable) {
        log(
          `postgresql: skipped, ${POSTGRES_ADMIN_URL.replace(/\/\/[^@]*@/, "//…@")} is not reachable (set BENCH_POSTGRES_URL)`,
        );
        continue;
      }
    }
    log(`${provider} ${images}: generating and measuring …`);
    const run = spawnSync(
      process.execPath,
      [
        ...process.execArgv,
        "--expose-gc",
        process.argv[1],
        CHILD_FLAG,
        provider,
        String(images),
        ...process.argv.slice(2),
      ],
      {
        encoding: "utf8",
        env: process.env,
        maxBuffer: 64 * 2 ** 20,
        stdio: ["ignore", "pipe", "inherit"],
      },
    );
    const line = run.stdout.split("\n").find((l) => l.startsWith("RESULT "));
    if (run.status !== 0 || !line) {
      process.stderr.write(run.stdout);
      throw new Error(`${provider} ${images} failed (exit ${run.status})`);
    }
    runs.push(JSON.parse(line.slice("RESULT ".length)) as TRun);
  }
  printRuns(runs);
}

const childAt = process.argv.indexOf(CHILD_FLAG);
(childAt >= 0
  ? child(process.argv[childAt + 1] as "sqlite" | "postgresql", Number(process.argv[childAt + 2]))
  : main()
).catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
