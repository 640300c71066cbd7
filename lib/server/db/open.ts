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
export type { Prisma } from "./generated/sqlite/client";

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
    return new PostgresClient({ adapter: new PrismaPg(pool, { disposeExternalPool: true }), log }) as unknown as TDb;
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
