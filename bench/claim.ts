/**
 * Claim benchmark (`npm run bench -- claim`): latency of `claimNextImage` when 50 annotators claim at
 * the same moment, on SQLite and on PostgreSQL.
 *
 *   BENCH_CLAIMERS=50         concurrent claimers (one user each)
 *   BENCH_ROUNDS=40           rounds: all claimers claim at once, then hand in (untimed); enough rounds that a
 *                             claim's cost growing with the work handed in shows (first vs last quarter of rounds)
 *   BENCH_IMAGES=20000        active images in the project (the backlog the queue query sees)
 *   BENCH_POSTGRES_URL=postgresql://postgres@127.0.0.1:5432/postgres   admin URL; a temporary database is created and dropped
 *   BENCH_PROVIDERS=sqlite,postgresql   which databases to run
 *   PHALANX_DB_POOL_SIZE=20   PostgreSQL connections of the (one) instance, as in the app (a quarter serve claims)
 *   BENCH_TRACE=1             also list the SQL statements one uncontended claim sends, with their times (a
 *                             query-logging client is installed, so the timings of that run include its cost)
 *
 * PostgreSQL also prints the CPU time of the server processes serving the bench's database (read from /proc, so
 * the server must run on this machine): per claim at 50 claimers, per claim alone, and per bare read. With the
 * Node CPU beside it, this is what a claim costs the machine, whatever else runs on it.
 *
 * Each provider runs in its own child process (the database client and configuration are per process).
 * Latency is measured per call, so it includes waiting behind other claimers (SQLite's single writer; on
 * PostgreSQL claims skip images other claims hold, FOR UPDATE SKIP LOCKED); "alone" is the same call without
 * contention (claimers one after another). The target at 50 claimers on PostgreSQL is ≥ 500 claims/s, 0 duplicates.
 */
import { spawnSync } from "node:child_process";
import { randomUUID } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { postgresReachable, seedClaimProject, temporaryPostgresDatabase } from "./support/claim-project";

const CLAIMERS = Number(process.env.BENCH_CLAIMERS ?? 50);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 40);
const IMAGES = Number(process.env.BENCH_IMAGES ?? 20000);
const POSTGRES_ADMIN_URL = process.env.BENCH_POSTGRES_URL ?? "postgresql://postgres@127.0.0.1:5432/postgres";
const CHILD_FLAG = "--claim-child";
const TARGET_PER_SECOND = 500;
const log = (line: string) => process.stdout.write(`${line}\n`);

type TResult = {
  provider: string;
  aloneP50: number;
  /** Claims per second of one claimer alone (claimers one after another). */
  alonePerSecond: number;
  /** The bare cost: one primary-key read per call, through the same client path, same concurrency. */
  barePerSecond: number;
  claims: number;
  empty: number;
  wallMs: number;
  p50: number;
  p95: number;
  max: number;
  setupMs: number;
  duplicates: number;
  /** CPU time of this Node process (the app's side: Prisma, the driver) during the contended rounds. */
  nodeCpuMs: number;
  /** PostgreSQL: CPU time of the server processes serving this database during the contended rounds (null: not local). */
  serverCpuMs: number | null;
  /** The same per claim in the first and in the last quarter of the rounds: flat when a claim's cost does not grow. */
  serverCpuQuarters: { first: number; last: number } | null;
  /** The same, per bare read (the bare cost's server side). */
  bareServerCpuMs: number | null;
  /** The same, per claim, for the claims made alone (one after another). */
  aloneServerCpuMs: number | null;
};

/**
 * CPU time (ms) so far of each PostgreSQL server process serving the current database, read from /proc (the
 * server runs on this machine in the usual setup; null when its processes are not visible here).
 */
async function serverProcessCpu(db: { $queryRaw<T>(sql: TemplateStringsArray): Promise<T> }) {
  const rows = await db.$queryRaw<
    { pid: number }[]
  >`SELECT pid FROM pg_stat_activity WHERE datname = current_database()`;
  const ticksPerMs = 100 / 1000; // USER_HZ: Linux reports process times in 1/100 s
  const cpu = new Map<number, number>();
  for (const { pid } of rows) {
    try {
      // Fields after the process name: utime and stime are the 14th and 15th of /proc/<pid>/stat.
      const fields = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1].split(" ");
      cpu.set(pid, (Number(fields[11]) + Number(fields[12])) / ticksPerMs);
    } catch {
      return null;
    }
  }
  return cpu;
}

/** CPU time (ms) the server processes spent between two readings of serverProcessCpu. */
const cpuBetween = (before: Map<number, number>, after: Map<number, number>) =>
  [...after].reduce((sum, [pid, ms]) => sum + ms - (before.get(pid) ?? 0), 0);

const percentile = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];

async function child(provider: "sqlite" | "postgresql") {
  const tmp = mkdtempSync(path.join(os.tmpdir(), "phalanx-bench-claim-"));
  process.env.PHALANX_DATA_DIR = tmp;
  process.env.PHALANX_STORAGE = "local";
  delete process.env.PHALANX_DB_PROVIDER;
  let dropDatabase = async () => {};
  try {
    const { applyMigrations } = await import("@/lib/server/db/migrate");
    if (provider === "postgresql") {
      const database = await temporaryPostgresDatabase(POSTGRES_ADMIN_URL);
      dropDatabase = database.drop;
      process.env.DATABASE_URL = database.url;
      await applyMigrations({ provider, url: database.url });
    } else {
      const filename = path.join(tmp, "bench.db");
      process.env.DATABASE_URL = `file:${filename}`;
      await applyMigrations({ provider, filename });
    }
    const trace: { query: string; duration: number }[] = [];
    if (process.env.BENCH_TRACE === "1") {
      // The app's `db` (lib/server/db.ts) reuses globalThis.phalanxDb: install a query-logging client first.
      const { onRawQuery, openDatabase } = await import("@/lib/server/db/open");
      const { databaseTarget } = await import("@/lib/env");
      const logging = openDatabase(databaseTarget(), { logQueries: true });
      (logging as unknown as { $on(e: "query", f: (q: { query: string; duration: number }) => void): void }).$on(
        "query",
        (q) => trace.push({ query: q.query, duration: q.duration }),
      );
      onRawQuery(logging, (q) => trace.push({ query: q.query, duration: Math.round(q.duration) }));
      (globalThis as { phalanxDb?: unknown }).phalanxDb = logging;
    }
    const { db } = await import("@/lib/server/db");
    if (provider === "sqlite") await db.$queryRawUnsafe("PRAGMA journal_mode=WAL"); // as scripts/prepare.ts does for the app
    const { claimNextImage } = await import("@/lib/server/queue/claim-next-image");

    const setupStarted = performance.now();
    const manager = await db.user.create({
      data: { email: `m-${randomUUID()}@bench.local`, name: "Manager", passwordHash: "x" },
    });
    const project = await seedClaimProject(db, manager.id, IMAGES, "Bench claim");
    const users: { id: string }[] = [];
    for (let u = 0; u < CLAIMERS; u++)
      users.push(
        await db.user.create({
          data: {
            email: `a-${randomUUID()}@bench.local`,
            name: `A${u}`,
            passwordHash: "x",
            memberships: { create: { projectId: project.id, role: "annotator" } },
          },
        }),
      );
    // Statistics, as a database in use has them (autovacuum analyses a table after its first changes): without
    // them PostgreSQL guesses, e.g. reads the whole queue for the person's assigned images.
    if (provider === "postgresql") await db.$executeRawUnsafe("ANALYZE");
    const setupMs = performance.now() - setupStarted;

    // Warm-up: first queries, prepared statements, pool connections.
    const warm = await claimNextImage(project.id, users[0].id);
    if (warm.annotationId) await db.annotation.delete({ where: { id: warm.annotationId } });

    // Uncontended: the same claimers one after another, so each call is the critical section alone.
    const alone: number[] = [];
    const imageIds: string[] = [];
    let aloneServerCpuMs: number | null = provider === "postgresql" ? 0 : null;
    for (const user of users) {
      const serverCpuBefore = aloneServerCpuMs === null ? null : await serverProcessCpu(db);
      const started = performance.now();
      const result = await claimNextImage(project.id, user.id);
      alone.push(performance.now() - started);
      const serverCpuAfter = serverCpuBefore && (await serverProcessCpu(db));
      aloneServerCpuMs =
        serverCpuBefore && serverCpuAfter ? aloneServerCpuMs! + cpuBetween(serverCpuBefore, serverCpuAfter) : null;
      if (result.annotationId) {
        imageIds.push(result.imageId);
        await db.annotation.update({
          where: { id: result.annotationId },
          data: { status: "submitted", leaseExpiresAt: null },
        });
      }
    }
    const alonePerSecond = alone.length / (alone.reduce((sum, ms) => sum + ms, 0) / 1000);
    alone.sort((a, b) => a - b);
    if (process.env.BENCH_TRACE === "1") {
      trace.length = 0;
      const started = performance.now();
      await claimNextImage(project.id, users[0].id).then(async (r) => {
        const ms = performance.now() - started;
        process.stderr.write(`\n${provider}: one claim sent ${trace.length} statements in ${ms.toFixed(1)} ms\n`);
        for (const q of trace)
          process.stderr.write(
            `  ${String(q.duration).padStart(4)} ms  ${q.query.replace(/\s+/g, " ").slice(0, 160)}\n`,
          );
        if (r.annotationId)
          await db.annotation.update({
            where: { id: r.annotationId },
            data: { status: "submitted", leaseExpiresAt: null },
          });
      });
    }

    // Bare cost, same run: the least a claim can cost, one indexed round trip per call (through the pg pool on
    // PostgreSQL, as the claim's statements go; through Prisma on SQLite), the same claimers at once.
    const { rawPostgresQuery } = await import("@/lib/server/db/open");
    const { Prisma } = await import("@/lib/server/db/generated/sqlite/client");
    const bareRead = async (id: string) => {
      const sql = Prisma.sql`SELECT "id" FROM "Image" WHERE "id" = ${id}`;
      if (!(await rawPostgresQuery(db, sql))) await db.$queryRaw(sql);
    };
    await Promise.all(users.map(() => bareRead(imageIds[0])));
    const bareServerCpuBefore = provider === "postgresql" ? await serverProcessCpu(db) : null;
    const bareStarted = performance.now();
    for (let round = 0; round < ROUNDS; round++)
      await Promise.all(users.map((_, u) => bareRead(imageIds[u % imageIds.length])));
    const barePerSecond = (ROUNDS * users.length) / ((performance.now() - bareStarted) / 1000);
    const bareServerCpuAfter = bareServerCpuBefore && (await serverProcessCpu(db));
    const bareServerCpuMs =
      bareServerCpuBefore && bareServerCpuAfter
        ? cpuBetween(bareServerCpuBefore, bareServerCpuAfter) / (ROUNDS * users.length)
        : null;

    const latencies: number[] = [];
    let empty = 0;
    // Server CPU is summed over the claims alone (read before and after each round's claims, not the hand-in).
    let serverCpuMs: number | null = provider === "postgresql" ? 0 : null;
    const quarter = Math.max(1, Math.floor(ROUNDS / 4));
    const quarterCpu = { first: 0, last: 0, firstClaims: 0, lastClaims: 0 };
    const cpuStarted = process.cpuUsage();
    const wallStarted = performance.now();
    for (let round = 0; round < ROUNDS; round++) {
      const serverCpuBefore = serverCpuMs === null ? null : await serverProcessCpu(db);
      const results = await Promise.all(
        users.map(async (user) => {
          const started = performance.now();
          const result = await claimNextImage(project.id, user.id);
          latencies.push(performance.now() - started);
          return result;
        }),
      );
      const serverCpuAfter = serverCpuBefore && (await serverProcessCpu(db));
      const roundCpu = serverCpuBefore && serverCpuAfter ? cpuBetween(serverCpuBefore, serverCpuAfter) : null;
      serverCpuMs = roundCpu === null ? null : serverCpuMs! + roundCpu;
      const claimed = results.filter((r) => r.annotationId !== null);
      if (roundCpu !== null && round < quarter) {
        quarterCpu.first += roundCpu;
        quarterCpu.firstClaims += claimed.length;
      }
      if (roundCpu !== null && round >= ROUNDS - quarter) {
        quarterCpu.last += roundCpu;
        quarterCpu.lastClaims += claimed.length;
      }
      empty += results.length - claimed.length;
      imageIds.push(...claimed.map((r) => r.imageId!));
      await db.annotation.updateMany({
        where: { id: { in: claimed.map((r) => r.annotationId!) } },
        data: { status: "submitted", leaseExpiresAt: null },
      });
    }
    const wallMs = performance.now() - wallStarted;
    const cpu = process.cpuUsage(cpuStarted);
    const nodeCpuMs = (cpu.user + cpu.system) / 1000;
    latencies.sort((a, b) => a - b);
    const result: TResult = {
      provider,
      claims: latencies.length,
      aloneP50: percentile(alone, 50),
      alonePerSecond,
      barePerSecond,
      empty,
      wallMs,
      setupMs,
      p50: percentile(latencies, 50),
      p95: percentile(latencies, 95),
      max: latencies[latencies.length - 1],
      duplicates: imageIds.length - new Set(imageIds).size,
      nodeCpuMs,
      serverCpuMs,
      serverCpuQuarters:
        serverCpuMs === null
          ? null
          : {
              first: quarterCpu.first / Math.max(1, quarterCpu.firstClaims),
              last: quarterCpu.last / Math.max(1, quarterCpu.lastClaims),
            },
      bareServerCpuMs,
      aloneServerCpuMs: aloneServerCpuMs === null ? null : aloneServerCpuMs / alone.length,
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
    `phalanx claim benchmark: node ${process.version}, ${os.cpus().length} CPUs (${os.cpus()[0]?.model.trim()}); ${CLAIMERS} concurrent claimers × ${ROUNDS} rounds, ${IMAGES} images in the project (10% without consent), annotationsPerImage 1`,
  );
  const rows: TResult[] = [];
  const providers = (process.env.BENCH_PROVIDERS ?? "sqlite,postgresql").split(",");
  for (const provider of (["sqlite", "postgresql"] as const).filter((p) => providers.includes(p))) {
    if (provider === "postgresql") {
      if (!(await postgresReachable(POSTGRES_ADMIN_URL))) {
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
    if (process.env.BENCH_TRACE === "1") process.stderr.write(run.stderr);
    const line = run.stdout.split("\n").find((l) => l.startsWith("RESULT "));
    if (run.status !== 0 || !line) {
      process.stderr.write(run.stdout + run.stderr);
      throw new Error(`${provider} run failed (exit ${run.status})`);
    }
    rows.push(JSON.parse(line.slice("RESULT ".length)) as TResult);
  }
  const header = [
    "database",
    "alone p50 ms",
    "1 claimer /s",
    "claims",
    "p50 ms",
    "p95 ms",
    "max ms",
    "claims/s",
    "bare reads/s",
    "claims÷bare",
    "target /s",
    "duplicates",
    "node CPU ms/claim",
    "server CPU ms/claim",
    "first ¼ / last ¼",
    "server CPU alone",
    "server CPU per bare read",
    "setup s",
  ];
  const table = rows.map((r) => {
    const perSecond = (r.claims - r.empty) / (r.wallMs / 1000);
    return [
      r.provider,
      r.aloneP50.toFixed(1),
      r.alonePerSecond.toFixed(0),
      String(r.claims - r.empty),
      r.p50.toFixed(1),
      r.p95.toFixed(1),
      r.max.toFixed(1),
      perSecond.toFixed(0),
      r.barePerSecond.toFixed(0),
      (perSecond / r.barePerSecond).toFixed(3),
      r.provider === "postgresql" ? String(TARGET_PER_SECOND) : "-",
      String(r.duplicates),
      (r.nodeCpuMs / r.claims).toFixed(2),
      r.serverCpuMs === null ? "-" : (r.serverCpuMs / r.claims).toFixed(2),
      r.serverCpuQuarters === null
        ? "-"
        : `${r.serverCpuQuarters.first.toFixed(2)} / ${r.serverCpuQuarters.last.toFixed(2)}`,
      r.aloneServerCpuMs === null ? "-" : r.aloneServerCpuMs.toFixed(2),
      r.bareServerCpuMs === null ? "-" : r.bareServerCpuMs.toFixed(2),
      (r.setupMs / 1000).toFixed(1),
    ];
  });
  const widths = header.map((h, i) => Math.max(h.length, ...table.map((row) => row[i].length)));
  const format = (cells: string[]) =>
    cells.map((cell, i) => (i === 0 ? cell.padEnd(widths[i]) : cell.padStart(widths[i]))).join("  ");
  log(
    `load average ${os
      .loadavg()
      .map((l) => l.toFixed(1))
      .join(" ")}`,
  );
  log(format(header));
  log(widths.map((w) => "-".repeat(w)).join("  "));
  for (const row of table) log(format(row));
  if (rows.some((r) => r.duplicates > 0)) throw new Error("an image was handed out twice");
}

const childAt = process.argv.indexOf(CHILD_FLAG);
(childAt >= 0 ? child(process.argv[childAt + 1] as "sqlite" | "postgresql") : main()).catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
