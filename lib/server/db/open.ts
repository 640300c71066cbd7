/**
 * Opens a Prisma client for either provider. Both generated clients come from the same
 * models (schema.postgresql.prisma is derived from schema.prisma), so the SQLite client's
 * type describes both. Used by the app (lib/server/db.ts), scripts and tests.
 */
import { PrismaBetterSqlite3 } from "@prisma/adapter-better-sqlite3";
import { PrismaPg } from "@prisma/adapter-pg";
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
 * PostgreSQL: one statement sent straight through the pg pool under a client's adapter, for the few hot
 * statements whose cost is Prisma's own CPU per query (the work-queue claim, bench/claim.ts); null on SQLite.
 * Each statement is autocommitted (no Prisma transaction). Dates are sent as UTC text and `timestamp` columns
 * read as UTC, as Prisma stores them. Listeners (onRawQuery) see each statement like Prisma's query log.
 */
export async function rawPostgresQuery<T>(client: TDb, sql: Prisma.Sql): Promise<T[] | null> {
  const raw = pools.get(client);
  if (!raw) return null;
  const values = sql.values.map((value) => (value instanceof Date ? value.toISOString() : value));
  const started = performance.now();
  const send = () => raw.pool.query({ text: sql.text, values, types: utcTimestamps });
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

/** `logQueries`: emit every SQL statement as a "query" event (the query-plan test reads them). */
export function openDatabase(target: TDatabaseTarget, options: { logQueries?: boolean } = {}): TDb {
  const log = options.logQueries ? [{ emit: "event" as const, level: "query" as const }] : undefined;
  if (target.provider === "postgresql") {
    // A connection the server ends (restart, failover, pg_terminate_backend) emits "error" on its client, at
    // times when no query listens; unheard, that would crash the process. The query in flight fails by itself
    // (answered 503), and the pool opens a new connection for the next one.
    // `max`: PHALANX_DB_POOL_SIZE (pg's own default is 10, which queued claims at 50 concurrent claimers).
    const pool = new pg.Pool({ connectionString: target.url, max: target.poolSize ?? 10 });
    pool.on("connect", (client) => client.on("error", () => {}));
    pool.on("error", () => {});
    const client = new PostgresClient({
      adapter: new PrismaPg(pool, { disposeExternalPool: true }),
      log,
    }) as unknown as TDb;
    pools.set(client, { pool, listeners: new Set() });
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
