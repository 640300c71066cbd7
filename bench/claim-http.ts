/**
 * Claims through the running app's HTTP API (`npm run bench -- claim-http`; `npm run bench -- claim` runs it
 * after bench/claim.ts): the latency people see when many claim at the same moment, on SQLite and PostgreSQL.
 * Starts the built app the way users do (bench/support/app-server.ts: `node scripts/start.mjs`, which builds
 * first when the build is stale) on its own temp data (and a temporary PostgreSQL database), seeds the project
 * straight into its database, signs in one browser session per annotator (POST /api/session) and has them all
 * POST /api/projects/{id}/queue/claim at once, round after round (handing in between rounds, untimed). The bare
 * cost beside it: the same sessions at once on GET /api/projects/{id} (same sign-in and membership checks).
 *
 *   BENCH_SESSIONS=40         concurrent sessions (one annotator each)
 *   BENCH_ROUNDS=10           rounds
 *   BENCH_IMAGES=2000         active images in the project (10% of subjects without consent)
 *   BENCH_PROVIDERS=sqlite,postgresql
 *   BENCH_POSTGRES_URL=postgresql://postgres@127.0.0.1:5432/postgres   admin URL; a temporary database is created and dropped
 *   BENCH_PORT=3300           first port tried
 */
import { randomBytes, randomUUID } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { ADMIN, startServer } from "./support/app-server";
import { postgresReachable, seedClaimProject, temporaryPostgresDatabase } from "./support/claim-project";

const SESSIONS = Number(process.env.BENCH_SESSIONS ?? 40);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 10);
const IMAGES = Number(process.env.BENCH_IMAGES ?? 2000);
const PORT = Number(process.env.BENCH_PORT ?? 3300);
const POSTGRES_ADMIN_URL = process.env.BENCH_POSTGRES_URL ?? "postgresql://postgres@127.0.0.1:5432/postgres";
const PASSWORD = "bench-annotator-password-1";
const log = (line: string) => process.stdout.write(`${line}\n`);
const percentile = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];

type TRow = {
  /** The same sessions at once on GET /api/projects/{id}: the same sign-in and membership checks, one light read. */
  bareP50: number;
  bareP95: number;
  provider: string;
  claims: number;
  p50: number;
  p95: number;
  max: number;
  perSecond: number;
  duplicates: number;
  errors: number;
};

async function run(provider: "sqlite" | "postgresql"): Promise<TRow> {
  const tmp = mkdtempSync(path.join(os.tmpdir(), "phalanx-bench-claim-http-"));
  const database = provider === "postgresql" ? await temporaryPostgresDatabase(POSTGRES_ADMIN_URL) : null;
  const extraEnv: Record<string, string> = {};
  if (database) {
    extraEnv.DATABASE_URL = database.url;
    extraEnv.AUTH_SECRET = randomBytes(32).toString("base64");
  }
  const server = await startServer(tmp, PORT, log, extraEnv);
  try {
    const { openDatabase } = await import("@/lib/server/db/open");
    const { hashPassword } = await import("@/lib/server/auth/password");
    const db = openDatabase(
      provider === "postgresql"
        ? { provider, url: extraEnv.DATABASE_URL! }
        : { provider, filename: path.join(tmp, "app", "phalanx.db") },
    );
    const admin = await db.user.findUniqueOrThrow({ where: { email: ADMIN.email } });
    const project = await seedClaimProject(db, admin.id, IMAGES, "Bench HTTP claim");
    const passwordHash = await hashPassword(PASSWORD);
    const emails: string[] = [];
    for (let u = 0; u < SESSIONS; u++) {
      const email = `a-${randomUUID()}@bench.local`;
      await db.user.create({
        data: {
          email,
          name: `A${u}`,
          passwordHash,
          memberships: { create: { projectId: project.id, role: "annotator" } },
        },
      });
      emails.push(email);
    }

    const headers = { origin: server.baseURL, "content-type": "application/json" };
    const cookies: string[] = [];
    for (const email of emails) {
      const response = await fetch(`${server.baseURL}/api/session`, {
        method: "POST",
        headers,
        body: JSON.stringify({ email, password: PASSWORD }),
      });
      if (!response.ok) throw new Error(`sign-in answered ${response.status}: ${await response.text()}`);
      cookies.push(
        response.headers
          .getSetCookie()
          .map((cookie) => cookie.split(";")[0])
          .join("; "),
      );
    }
    const claim = async (cookie: string) => {
      const started = performance.now();
      const response = await fetch(`${server.baseURL}/api/projects/${project.id}/queue/claim`, {
        method: "POST",
        headers: { ...headers, cookie },
      });
      const body = (await response.json()) as { annotationId: string | null; imageId: string | null };
      return { ms: performance.now() - started, ok: response.ok, body };
    };
    const bare = async (cookie: string) => {
      const started = performance.now();
      const response = await fetch(`${server.baseURL}/api/projects/${project.id}`, { headers: { ...headers, cookie } });
      await response.arrayBuffer();
      if (!response.ok) throw new Error(`GET /api/projects/{id} answered ${response.status}`);
      return performance.now() - started;
    };
    const handIn = (ids: string[]) =>
      db.annotation.updateMany({ where: { id: { in: ids } }, data: { status: "submitted", leaseExpiresAt: null } });

    // Warm-up (untimed): every route and session once.
    const warm = await Promise.all(cookies.map(claim));
    if (warm.some((r) => !r.ok)) throw new Error(`warm-up claim failed: ${JSON.stringify(warm.find((r) => !r.ok))}`);
    const imageIds = warm.map((r) => r.body.imageId!).filter(Boolean);
    await handIn(warm.map((r) => r.body.annotationId!).filter(Boolean));

    const latencies: number[] = [];
    let errors = 0;
    const wallStarted = performance.now();
    for (let round = 0; round < ROUNDS; round++) {
      const results = await Promise.all(cookies.map(claim));
      errors += results.filter((r) => !r.ok).length;
      const claimed = results.filter((r) => r.ok && r.body.annotationId);
      latencies.push(...results.map((r) => r.ms));
      imageIds.push(...claimed.map((r) => r.body.imageId!));
      await handIn(claimed.map((r) => r.body.annotationId!));
    }
    const wallMs = performance.now() - wallStarted;
    const bareLatencies: number[] = [];
    await Promise.all(cookies.map(bare)); // warm-up
    for (let round = 0; round < ROUNDS; round++) bareLatencies.push(...(await Promise.all(cookies.map(bare))));
    bareLatencies.sort((a, b) => a - b);
    await db.$disconnect();
    latencies.sort((a, b) => a - b);
    return {
      provider,
      bareP50: percentile(bareLatencies, 50),
      bareP95: percentile(bareLatencies, 95),
      claims: latencies.length - errors,
      p50: percentile(latencies, 50),
      p95: percentile(latencies, 95),
      max: latencies[latencies.length - 1],
      perSecond: (latencies.length - errors) / (wallMs / 1000),
      duplicates: imageIds.length - new Set(imageIds).size,
      errors,
    };
  } finally {
    await server.stop();
    await database?.drop();
    rmSync(tmp, { recursive: true, force: true });
  }
}

async function main() {
  log(
    `phalanx HTTP claim benchmark: node ${process.version}, ${os.cpus().length} CPUs; ${SESSIONS} sessions claiming at once × ${ROUNDS} rounds, ${IMAGES} images (10% without consent), one app instance`,
  );
  const providers = (process.env.BENCH_PROVIDERS ?? "sqlite,postgresql").split(",");
  const rows: TRow[] = [];
  for (const provider of (["sqlite", "postgresql"] as const).filter((p) => providers.includes(p))) {
    if (provider === "postgresql") {
      if (!(await postgresReachable(POSTGRES_ADMIN_URL))) {
        log(
          `postgresql: skipped, ${POSTGRES_ADMIN_URL.replace(/\/\/[^@]*@/, "//…@")} is not reachable (set BENCH_POSTGRES_URL)`,
        );
        continue;
      }
    }
    rows.push(await run(provider));
  }
  const header = [
    "database",
    "claims",
    "p50 ms",
    "p95 ms",
    "max ms",
    "claims/s",
    "duplicates",
    "errors",
    "bare GET p50/p95 ms",
    "p95 ratio",
  ];
  const table = rows.map((r) => [
    r.provider,
    String(r.claims),
    r.p50.toFixed(1),
    r.p95.toFixed(1),
    r.max.toFixed(1),
    r.perSecond.toFixed(0),
    String(r.duplicates),
    String(r.errors),
    `${r.bareP50.toFixed(0)}/${r.bareP95.toFixed(0)}`,
    (r.p95 / r.bareP95).toFixed(2),
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...table.map((row) => row[i].length)));
  const format = (cells: string[]) =>
    cells.map((cell, i) => (i === 0 ? cell.padEnd(widths[i]) : cell.padStart(widths[i]))).join("  ");
  log(format(header));
  log(widths.map((w) => "-".repeat(w)).join("  "));
  for (const row of table) log(format(row));
  if (rows.some((r) => r.duplicates > 0)) throw new Error("an image was handed out twice");
  if (rows.some((r) => r.errors > 0)) throw new Error("some claims failed");
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
