/**
 * Coverage benchmark (`npm run bench -- coverage`): latency of the Coverage page's whole report
 * (every dimension's counts, one two-way table, three targets with their gaps and shot list) for a
 * generated project of 200,000 hands, on SQLite and on PostgreSQL.
 *
 *   BENCH_HANDS=200000        hands (two per image; uniformly random dimensions: the most distinct cells)
 *   BENCH_SUBJECTS=2000       subjects
 *   BENCH_REPEATS=7           timed reports after one warm-up
 *   BENCH_POSTGRES_URL=postgresql://postgres@127.0.0.1:5432/postgres   admin URL; a temporary database is created and dropped
 *
 * Rows are bulk-inserted with multi-row INSERT statements. The bare cost beside each figure is one indexed
 * `SELECT COUNT(*)` of the same project's counted hands: reading the rows once, with no grouping.
 */
import { spawnSync } from "node:child_process";
import { randomBytes, randomUUID } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import pg from "pg";

const HANDS = Number(process.env.BENCH_HANDS ?? 200_000);
const SUBJECTS = Number(process.env.BENCH_SUBJECTS ?? 2000);
const REPEATS = Number(process.env.BENCH_REPEATS ?? 7);
const POSTGRES_ADMIN_URL = process.env.BENCH_POSTGRES_URL ?? "postgresql://postgres@127.0.0.1:5432/postgres";
const CHILD_FLAG = "--coverage-child";
const BATCH = 1000;
const log = (line: string) => process.stdout.write(`${line}\n`);

type TResult = {
  provider: string;
  hands: number;
  setupS: number;
  firstMs: number;
  p50: number;
  max: number;
  bareMs: number;
  pairAdHocMs: number;
};

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

async function child(provider: "sqlite" | "postgresql") {
  const tmp = mkdtempSync(path.join(os.tmpdir(), "phalanx-bench-coverage-"));
  process.env.PHALANX_DATA_DIR = tmp;
  process.env.PHALANX_STORAGE = "local";
  delete process.env.PHALANX_DB_PROVIDER;
  let dropDatabase = async () => {};
  try {
    const { applyMigrations } = await import("@/lib/server/db/migrate");
    if (provider === "postgresql") {
      const name = `phalanx_bench_${randomBytes(6).toString("hex")}`;
      const admin = new pg.Client({ connectionString: POSTGRES_ADMIN_URL });
      await admin.connect();
      await admin.query(`CREATE DATABASE "${name}"`);
      await admin.end();
      dropDatabase = async () => {
        const client = new pg.Client({ connectionString: POSTGRES_ADMIN_URL });
        await client.connect();
        await client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
        await client.end();
      };
      const url = new URL(POSTGRES_ADMIN_URL);
      url.pathname = `/${name}`;
      process.env.DATABASE_URL = url.toString();
      await applyMigrations({ provider, url: url.toString() });
    } else {
      const filename = path.join(tmp, "bench.db");
      process.env.DATABASE_URL = `file:${filename}`;
      await applyMigrations({ provider, filename });
    }
    const { db } = await import("@/lib/server/db");
    if (provider === "sqlite") await db.$queryRawUnsafe("PRAGMA journal_mode=WAL");
    const { getCoverage } = await import("@/lib/server/coverage/coverage-report");
    const { ZCoverageQuery } = await import("@/lib/coverage/query");
    const { createTarget } = await import("@/lib/server/coverage/coverage-targets");
    const { coverageStage } = await import("@/lib/coverage/stage");
    const { seededRandom } = await import("@/lib/qc/synthetic-hands");

    const setupStarted = performance.now();
    const random = seededRandom(7);
    const pick = <T>(values: readonly T[]) => values[Math.floor(random() * values.length)];
    const manager = await db.user.create({
      data: { email: `m-${randomUUID()}@bench.local`, name: "Manager", passwordHash: "x" },
    });
    const gestures = ["open_palm", "fist", "pointing", "pinch", "ok", "thumbs_up", "peace", "grip", "relaxed", "other"];
    const project = await db.project.create({
      data: {
        name: "Bench coverage",
        gestures,
        handAttributes: [],
        imageFlags: ["blurry", "low_light", "multiple_people"],
        createdById: manager.id,
      },
    });
    const ageBands = ["18-24", "25-34", "35-44", "45-54", "55-64", "65+", null];
    await db.subject.createMany({
      data: Array.from({ length: SUBJECTS }, (_, s) => ({
        id: `bench-subject-${s}`,
        projectId: project.id,
        code: `S-${String(s).padStart(5, "0")}`,
        ageBand: pick(ageBands),
        sexOrGender: pick(["female", "male", "non-binary", null]),
        monkSkinTone: random() < 0.9 ? 1 + Math.floor(random() * 10) : null,
      })),
    });
    const keypoints = Array.from({ length: 21 }, (_, i) => ({ x: 100 + i * 7.5, y: 200 + i * 3.25, state: "visible" }));
    const images = Math.ceil(HANDS / 2);
    const t0 = Date.now() - 90 * 86_400_000;
    // Bulk inserts as multi-row INSERT statements (values generated here, no user input).
    const sqlite = provider === "sqlite";
    const sample = await db.$queryRawUnsafe<{ c: unknown }[]>(
      `SELECT "createdAt" AS c FROM "Project" WHERE "id" = '${project.id}'`,
    );
    const sqliteDates = sqlite && typeof sample[0].c === "number" ? "ms" : "iso";
    const lit = (v: string | number | boolean | Date | null): string =>
      v === null
        ? "NULL"
        : typeof v === "boolean"
          ? sqlite
            ? v
              ? "1"
              : "0"
            : v
              ? "true"
              : "false"
          : typeof v === "number"
            ? String(v)
            : v instanceof Date
              ? sqliteDates === "ms"
                ? String(v.getTime())
                : `'${v.toISOString()}'`
              : `'${v.replaceAll("'", "''")}'`;
    const insert = (table: string, columns: string[], rows: (string | number | boolean | Date | null)[][]) =>
      db.$executeRawUnsafe(
        `INSERT INTO "${table}" (${columns.map((c) => `"${c}"`).join(", ")}) VALUES ${rows.map((r) => `(${r.map(lit).join(", ")})`).join(", ")}`,
      );
    const kp = JSON.stringify(keypoints);
    const now = new Date();
    for (let start = 0; start < images; start += BATCH) {
      const n = Math.min(BATCH, images - start);
      const rows = Array.from({ length: n }, (_, k) => {
        const i = start + k;
        const status = random() < 0.75 ? "accepted" : pick(["submitted", "draft", "rejected"]);
        return {
          i,
          imageId: `bench-image-${i}`,
          annotationId: `bench-annotation-${i}`,
          subjectId: `bench-subject-${i % SUBJECTS}`,
          status,
          flags: [...new Set([pick(["", "", "blurry", "low_light"]), pick(["", "", "", "multiple_people"])])]
            .filter(Boolean)
            .sort()
            .join(","),
        };
      });
      await insert(
        "Image",
        ["id", "projectId", "subjectId", "sha256", "byteSize", "mimeType", "width", "height", "metadata", "createdAt"],
        rows.map((r) => [
          r.imageId,
          project.id,
          r.subjectId,
          randomBytes(16).toString("hex"),
          1,
          "image/jpeg",
          4000,
          3000,
          "{}",
          new Date(t0 + r.i * 1000),
        ]),
      );
      await insert(
        "Annotation",
        ["id", "imageId", "annotatorId", "status", "imageFlags", "qualityFlags", "createdAt", "updatedAt"],
        rows.map((r) => [
          r.annotationId,
          r.imageId,
          manager.id,
          r.status,
          JSON.stringify(r.flags ? r.flags.split(",") : []),
          "[]",
          now,
          now,
        ]),
      );
      await insert(
        "Hand",
        [
          "id",
          "annotationId",
          "position",
          "keypoints",
          "attributes",
          "qualityFlags",
          "createdAt",
          "updatedAt",
          "handedness",
          "gesture",
          "view",
          "interaction",
          "truncated",
          "skinTone",
          "projectId",
          "imageId",
          "subjectId",
          "coverageStage",
          "occlusionBand",
          "imageFlagKey",
        ],
        rows.flatMap((r) =>
          [0, 1]
            .filter((p) => r.i * 2 + p < HANDS)
            .map((position) => [
              `bench-hand-${r.i}-${position}`,
              r.annotationId,
              position,
              kp,
              "{}",
              "[]",
              new Date(t0 + r.i * 1000),
              now,
              pick(["left", "right", "unknown"]),
              pick(gestures),
              pick(["palm", "back", "side", null]),
              pick(["none", "holding_object", "touching_other_hand", "occluded_by_object"]),
              random() < 0.1,
              random() < 0.95 ? 1 + Math.floor(random() * 10) : null,
              project.id,
              r.imageId,
              r.subjectId,
              coverageStage(r.status, null),
              pick(["none", "low", "medium", "high"]),
              r.flags,
            ]),
        ),
      );
    }
    // What autovacuum does shortly after a bulk load in production (visibility map and statistics).
    if (provider === "postgresql") await db.$executeRawUnsafe('VACUUM ANALYZE "Hand"');
    else await db.$executeRawUnsafe("ANALYZE");
    await createTarget(
      project.id,
      { name: "Dark skin", kind: "min_count", value: 300_000, cell: { skinToneBand: ["8-10"] }, each: null },
      manager.id,
    );
    await createTarget(
      project.id,
      {
        name: "Palm holding, each band",
        kind: "min_count",
        value: 150_000,
        cell: { view: ["palm"], interaction: ["holding_object"] },
        each: "skinToneBand",
      },
      manager.id,
    );
    await createTarget(
      project.id,
      { name: "Palms", kind: "max_share", value: 0.2, cell: { gesture: ["open_palm"] }, each: null },
      manager.id,
    );
    await createTarget(
      project.id,
      { name: "Older people", kind: "min_share", value: 0.3, cell: { ageBand: ["55-64", "65+"] }, each: null },
      manager.id,
    );
    const setupS = (performance.now() - setupStarted) / 1000;
    const hands = await db.hand.count({ where: { projectId: project.id } });

    const query = ZCoverageQuery.parse({ x: "skinToneBand", y: "view" });
    const timed = async (work: () => Promise<unknown>) => {
      const started = performance.now();
      await work();
      return performance.now() - started;
    };
    const firstMs = await timed(() => getCoverage(project.id, query));
    const runs: number[] = [];
    for (let r = 0; r < REPEATS; r++) runs.push(await timed(() => getCoverage(project.id, query)));
    const bare: number[] = [];
    for (let r = 0; r < REPEATS; r++)
      bare.push(await timed(() => db.hand.count({ where: { projectId: project.id, coverageStage: "accepted" } })));
    // A pair across index groups (perceived skin tone × handedness) is grouped ad hoc, with a sort.
    const adHoc: number[] = [];
    for (let r = 0; r < 3; r++)
      adHoc.push(await timed(() => getCoverage(project.id, ZCoverageQuery.parse({ x: "skinTone", y: "handedness" }))));
    const result: TResult = {
      provider,
      hands,
      setupS,
      firstMs,
      p50: median(runs),
      max: Math.max(...runs),
      bareMs: median(bare),
      pairAdHocMs: median(adHoc),
    };
    await db.$disconnect();
    process.stdout.write(`RESULT ${JSON.stringify(result)}\n`);
  } finally {
    await dropDatabase();
    rmSync(tmp, { recursive: true, force: true });
  }
}

async function main() {
  log(
    `phalanx coverage benchmark: node ${process.version}, ${os.cpus().length} CPUs (${os.cpus()[0]?.model.trim()}); ${HANDS} hands, ${SUBJECTS} subjects, 4 targets; report = 13 dimensions + one two-way table + targets + shot list`,
  );
  const rows: TResult[] = [];
  for (const provider of ["sqlite", "postgresql"] as const) {
    if (process.env.BENCH_ONLY && process.env.BENCH_ONLY !== provider) continue;
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
    const run = spawnSync(process.execPath, [...process.execArgv, process.argv[1], CHILD_FLAG, provider], {
      encoding: "utf8",
      env: process.env,
      maxBuffer: 64 * 2 ** 20,
    });
    const line = run.stdout.split("\n").find((l) => l.startsWith("RESULT "));
    if (run.status !== 0 || !line) {
      process.stderr.write(run.stdout + run.stderr);
      throw new Error(`${provider} run failed (exit ${run.status})`);
    }
    rows.push(JSON.parse(line.slice("RESULT ".length)) as TResult);
  }
  const header = [
    "database",
    "hands",
    "report first ms",
    "report p50 ms",
    "report max ms",
    "bare COUNT ms",
    "ratio p50/bare",
    "cross-group pair ms",
    "setup s",
  ];
  const table = rows.map((r) => [
    r.provider,
    String(r.hands),
    r.firstMs.toFixed(0),
    r.p50.toFixed(0),
    r.max.toFixed(0),
    r.bareMs.toFixed(1),
    (r.p50 / r.bareMs).toFixed(1),
    r.pairAdHocMs.toFixed(0),
    r.setupS.toFixed(0),
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...table.map((row) => row[i].length)));
  const format = (cells: string[]) =>
    cells.map((cell, i) => (i === 0 ? cell.padEnd(widths[i]) : cell.padStart(widths[i]))).join("  ");
  log(format(header));
  log(widths.map((w) => "-".repeat(w)).join("  "));
  for (const row of table) log(format(row));
}

const childAt = process.argv.indexOf(CHILD_FLAG);
(childAt >= 0 ? child(process.argv[childAt + 1] as "sqlite" | "postgresql") : main()).catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
