/**
 * Opens a Prisma client for either provider. Both generated clients come from the same
 * models (schema.postgresql.prisma is derived from schema.prisma), so the SQLite client's
 * type describes both. Used by the app (lib/server/db.ts), scripts and tests.
 */
import { PrismaBetterSqlite3 } from "@prisma/adapter-better-sqlite3";
import { PrismaPg } from "@prisma/adapter-pg";
import { createHash } from "node:crypto";
import { mkdirSync } from "node:fs";
import pg from "pg";
import path from "node:path";
import { PrismaClient as SqliteClient } from "./generated/sqlite/client";
import { PrismaClient as PostgresClient } from "./generated/postgresql/client";
import type { TDatabaseTarget } from "@/lib/env";

export type TDb = SqliteClient;
import type { Prisma } from "./generated/sqlite/client";
export type { Prisma };

type TRawListener = (event: { query: string; params: string; duration: number }) => void;
const pools = new WeakMap<TDb, { pool: pg.Pool; listeners: Set<TRawListener> }>();

/**
 * PostgreSQL: one statement sent straight through the client's pool of hot-statement connections, for the few
 * hot statements whose cost is Prisma's CPU per query and the server's parsing and planning per call (the
 * work-queue claim, bench/claim.ts); null on SQLite. Each statement is autocommitted (no Prisma transaction) and
 * prepared once per connection under a name derived from its text; those connections use the prepared plan
 * (see openDatabase), so a call is only executed. Dates are sent as UTC text and `timestamp` columns read as UTC,
 * as Prisma stores them. Listeners (onRawQuery) see each statement like Prisma's query log.
 */
export async function rawPostgresQuery<T>(client: TDb, sql: Prisma.Sql): Promise<T[] | null> {
  const raw = pools.get(client);
  if (!raw) return null;
  const values = sql.values.map((value) => (value instanceof Date ? value.toISOString() : value));
  const started = performance.now();
  const name = `phalanx_${createHash("sha1").update(sql.text).digest("hex")}`;
  const send = () => raw.pool.query({ name, text: sql.text, values, types: utcTimestamps });
  // A deadlock victim (40P01) was rolled back whole (one autocommitted statement): sending it again is safe.
  const { rows } = await send().catch((error: { code?: string }) => {
    if (error?.code === "40P01") return send();
    throw error;
  });
  for (const listener of raw.listeners)
    listener({ query: sql.text, params: JSON.stringify(values), duration: performance.now() - started });
  return rows as T[];
}

/** Statements rawPostgresQuery sends through this client's pool (tests and bench traces; PostgreSQL only). */
export function onRawQuery(client: TDb, listener: TRawListener): void {
  pools.get(client)?.listeners.add(listener);
}

/** pg parses `timestamp` (without time zone) in the process's zone; Prisma stores UTC there. */
const utcTimestamps = {
  getTypeParser: (oid: number, format?: string) =>
    oid === pg.types.builtins.TIMESTAMP
      ? (value: string) => new Date(`${value.replace(" ", "T")}Z`)
      : pg.types.getTypeParser(oid, format as "text"),
};

/**
 * A pg pool whose connections the server may end (restart, failover, pg_terminate_backend): that emits "error"
 * on the client, at times when no query listens; unheard, it would crash the process. The query in flight fails
 * by itself (answered 503), and the pool opens a new connection for the next one.
 */
function quietPool(config: pg.PoolConfig) {
  const pool = new pg.Pool(config);
  pool.on("connect", (client) => client.on("error", () => {}));
  pool.on("error", () => {});
  return pool;
}

/** `logQueries`: emit every SQL statement as a "query" event (the query-plan test reads them). */
export function openDatabase(target: TDatabaseTarget, options: { logQueries?: boolean } = {}): TDb {
  const log = options.logQueries ? [{ emit: "event" as const, level: "query" as const }] : undefined;
  if (target.provider === "postgresql") {
    // PHALANX_DB_POOL_SIZE connections in all: a quarter for the hot statements (rawPostgresQuery; one claim
    // holds one for a single statement), the rest for Prisma.
    const size = Math.max(2, target.poolSize ?? 20);
    const hotSize = Math.max(1, Math.floor(size / 4));
    const pool = quietPool({ connectionString: target.url, max: size - hotSize });
    // Generic plans: PostgreSQL would otherwise plan the claim statement (CTEs, subplans, the consenting subjects
    // as an array) again at every call, which was half of its server CPU (perf, bench/claim.ts). Only these
    // connections: Prisma's ad-hoc statements keep plans made for their values. A generic plan is made once per
    // connection, maybe while "Annotation" is nearly empty, when a sequential scan looks free and a subplan
    // scanning the table per queue row is chosen and kept (bench/claim.ts: 40 ms per claim after 2,000 claims,
    // until autovacuum's next ANALYZE): these statements each have their index, so sequential scans are off.
    const hot = quietPool({
      connectionString: target.url,
      max: hotSize,
      options: "-c plan_cache_mode=force_generic_plan -c enable_seqscan=off",
    });
    const client = new PostgresClient({
      adapter: new PrismaPg(pool, { disposeExternalPool: true }),
      log,
    }) as unknown as TDb;
    const disconnect = client.$disconnect.bind(client);
    Object.assign(client, { $disconnect: () => Promise.all([disconnect(), hot.end()]).then(() => undefined) });
    pools.set(client, { pool: hot, listeners: new Set() });
    return client;
  }
  mkdirSync(path.dirname(target.filename), { recursive: true });
  // Waiting on a locked file rather than failing: several requests write at once.
  return new SqliteClient({
    adapter: new PrismaBetterSqlite3({ url: `file:${target.filename}`, timeout: 10_000 }),
    log,
  });
}

/** SQL NULL for a nullable JSON column (both clients share Prisma's runtime, so one value serves both). */
export { DbNull } from "./generated/sqlite/internal/prismaNamespace";
