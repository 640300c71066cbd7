// Applies the committed migrations (prisma/migrations/<provider>/<name>/migration.sql, created by
// `npm run db:migration`) at app start, in scripts and in tests, without Prisma's native schema engine.
//
// Bookkeeping is Prisma's own: the `_prisma_migrations` table with Prisma's exact DDL and a sha256 checksum of
// each file, so a database migrated here stays compatible with `prisma migrate deploy` / `migrate status`
// wherever the native engine exists. Each migration runs in a transaction together with its record: a failing
// migration leaves neither partial schema changes nor a row. On PostgreSQL the whole run holds the same advisory
// lock Prisma takes (72707369), so app instances starting together (or a concurrent `prisma migrate deploy`)
// apply each migration once. Used by server code and by scripts, hence no `import "server-only"`.
import { createHash, randomUUID } from "node:crypto";
import { existsSync, mkdirSync, readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import Database from "better-sqlite3";
import pg from "pg";

export type MigrationTarget = { provider: "sqlite"; filename: string } | { provider: "postgresql"; url: string };

export type MigrateOptions = {
  log?: (line: string) => void;
  /** The folder holding sqlite/ and postgresql/; defaults to <cwd>/prisma/migrations. */
  migrationsDir?: string;
  /**
   * Start-up work that must run once however many instances start together (first admin, demo project).
   * On PostgreSQL it runs while the migration advisory lock is still held, so a second instance waits and
   * then finds the work done; on SQLite an exclusive lock on a file beside the database plays that part.
   */
  whileLocked?: () => Promise<void>;
};

export class MigrationError extends Error {
  override name = "MigrationError";
}

/** The advisory lock key `prisma migrate` itself uses on PostgreSQL. */
const PRISMA_ADVISORY_LOCK_KEY = 72707369;

// Prisma's exact DDL for its migrations table (schema engine, sql-migration-connector).
const SQLITE_MIGRATIONS_TABLE_DDL = `CREATE TABLE "_prisma_migrations" (
    "id"                    TEXT PRIMARY KEY NOT NULL,
    "checksum"              TEXT NOT NULL,
    "finished_at"           DATETIME,
    "migration_name"        TEXT NOT NULL,
    "logs"                  TEXT,
    "rolled_back_at"        DATETIME,
    "started_at"            DATETIME NOT NULL DEFAULT current_timestamp,
    "applied_steps_count"   INTEGER UNSIGNED NOT NULL DEFAULT 0
);`;

const POSTGRES_MIGRATIONS_TABLE_DDL = `CREATE TABLE _prisma_migrations (
    id                      VARCHAR(36) PRIMARY KEY NOT NULL,
    checksum                VARCHAR(64) NOT NULL,
    finished_at             TIMESTAMPTZ,
    migration_name          VARCHAR(255) NOT NULL,
    logs                    TEXT,
    rolled_back_at          TIMESTAMPTZ,
    started_at              TIMESTAMPTZ NOT NULL DEFAULT now(),
    applied_steps_count     INTEGER NOT NULL DEFAULT 0
);`;

type MigrationFile = { name: string; sql: string; checksum: string };
type AppliedRow = { migration_name: string; checksum: string; finished_at: unknown };

/** The committed migrations for a provider, oldest first. */
export function readMigrations(provider: MigrationTarget["provider"], migrationsDir?: string): MigrationFile[] {
  const dir = path.join(migrationsDir ?? path.join(process.cwd(), "prisma", "migrations"), provider);
  if (!existsSync(dir)) {
    throw new MigrationError(
      `no migrations folder at ${dir} (run from the project root; create one with npm run db:migration)`,
    );
  }
  return readdirSync(dir, { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && existsSync(path.join(dir, entry.name, "migration.sql")))
    .map((entry) => entry.name)
    .sort()
    .map((name) => {
      const bytes = readFileSync(path.join(dir, name, "migration.sql"));
      return { name, sql: bytes.toString("utf8"), checksum: createHash("sha256").update(bytes).digest("hex") };
    });
}

/**
 * Checks the applied history against the files and returns the migrations still to apply.
 * Fails on an edited migration or one that Prisma recorded as failed (finished_at NULL, not rolled back).
 */
function pending(files: MigrationFile[], applied: AppliedRow[], log: (line: string) => void): MigrationFile[] {
  const byName = new Map(applied.map((row) => [row.migration_name, row]));
  for (const row of applied) {
    if (row.finished_at === null || row.finished_at === undefined) {
      throw new MigrationError(
        `migration ${row.migration_name} is recorded as started but not finished in _prisma_migrations: ` +
          "inspect the database, then mark it rolled back (prisma migrate resolve --rolled-back) or applied",
      );
    }
    const file = files.find((f) => f.name === row.migration_name);
    if (!file) {
      log(`warning: migration ${row.migration_name} is applied to the database but missing from the migrations folder`);
    } else if (file.checksum !== row.checksum) {
      throw new MigrationError(
        `migration ${row.migration_name} was modified after it was applied: checksum of migration.sql is ` +
          `${file.checksum}, the database recorded ${row.checksum}. Never edit an applied migration; add a new one.`,
      );
    }
  }
  return files.filter((file) => !byName.has(file.name));
}

function failure(name: string, error: unknown): MigrationError {
  const message = error instanceof Error ? error.message : String(error);
  return new MigrationError(`migration ${name} failed and was rolled back (nothing of it was applied): ${message}`, {
    cause: error,
  });
}

function applySqlite(filename: string, files: MigrationFile[], log: (line: string) => void): string[] {
  if (filename !== ":memory:") mkdirSync(path.dirname(path.resolve(filename)), { recursive: true });
  const db = new Database(filename, { timeout: 30_000 });
  try {
    // Create the table under a write lock, so concurrent starters do not both create it.
    db.exec("BEGIN IMMEDIATE");
    try {
      const exists = db
        .prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = '_prisma_migrations'")
        .get();
      if (!exists) db.exec(SQLITE_MIGRATIONS_TABLE_DDL);
      db.exec("COMMIT");
    } catch (error) {
      db.exec("ROLLBACK");
      throw error;
    }
    const readApplied = () =>
      db
        .prepare("SELECT migration_name, checksum, finished_at FROM _prisma_migrations WHERE rolled_back_at IS NULL")
        .all() as AppliedRow[];

    const applied: string[] = [];
    for (const file of pending(files, readApplied(), log)) {
      // Prisma's SQLite migrations redefine tables with `PRAGMA foreign_keys=OFF` around them, which is a no-op
      // inside a transaction: switch enforcement off for the connection instead (else DROP TABLE of a parent would
      // run its ON DELETE CASCADE actions) and check every foreign key before committing.
      const foreignKeys = db.pragma("foreign_keys", { simple: true });
      db.pragma("foreign_keys = OFF");
      try {
        db.exec("BEGIN IMMEDIATE");
        try {
          // Another process may have applied it while we waited for the write lock.
          const done = db
            .prepare("SELECT 1 FROM _prisma_migrations WHERE migration_name = ? AND rolled_back_at IS NULL")
            .get(file.name);
          if (done) {
            db.exec("ROLLBACK");
            continue;
          }
          const startedAt = Date.now();
          db.exec(file.sql);
          const violations = db.pragma("foreign_key_check") as { table: string; parent: string }[];
          if (violations.length) {
            const first = violations[0];
            throw new Error(`${violations.length} foreign key violation(s), e.g. ${first.table} → ${first.parent}`);
          }
          db.prepare(
            `INSERT INTO "_prisma_migrations" ("id", "checksum", "finished_at", "migration_name", "logs", "rolled_back_at", "started_at", "applied_steps_count")
             VALUES (?, ?, ?, ?, NULL, NULL, ?, 1)`,
          ).run(randomUUID(), file.checksum, Date.now(), file.name, startedAt);
          db.exec("COMMIT");
        } catch (error) {
          if (db.inTransaction) db.exec("ROLLBACK");
          throw failure(file.name, error);
        }
      } finally {
        db.pragma(`foreign_keys = ${foreignKeys ? "ON" : "OFF"}`);
      }
      applied.push(file.name);
      log(`applied migration ${file.name}`);
    }
    return applied;
  } finally {
    db.close();
  }
}

/**
 * SQLite's counterpart of the PostgreSQL advisory lock: an exclusive transaction on a small file beside the
 * database, held while migrations and the start-up work run. A separate file, so the app's own connections to the
 * database are never blocked by it; a lock the operating system releases when a crashed starter exits.
 */
async function withSqliteStartLock<T>(filename: string, work: () => Promise<T>): Promise<T> {
  if (filename === ":memory:") return work();
  mkdirSync(path.dirname(path.resolve(filename)), { recursive: true });
  // Ten minutes: the one that holds it may be seeding the demo on a slow disk.
  const lock = new Database(`${filename}.start-lock`, { timeout: 10 * 60_000 });
  try {
    lock.exec("BEGIN EXCLUSIVE");
    try {
      return await work();
    } finally {
      lock.exec("COMMIT");
    }
  } finally {
    lock.close();
  }
}

async function applyPostgres(
  url: string,
  files: MigrationFile[],
  log: (line: string) => void,
  whileLocked?: () => Promise<void>,
): Promise<string[]> {
  // Prisma URLs may carry ?schema=…; pg does not know it, so apply it as the search_path.
  const parsed = new URL(url);
  const schema = parsed.searchParams.get("schema");
  parsed.searchParams.delete("schema");
  const client = new pg.Client({ connectionString: parsed.toString() });
  await client.connect();
  try {
    if (schema) {
      await client.query(`CREATE SCHEMA IF NOT EXISTS "${schema.replaceAll('"', '""')}"`);
      await client.query(`SET search_path TO "${schema.replaceAll('"', '""')}"`);
    }
    await client.query("SELECT pg_advisory_lock($1)", [PRISMA_ADVISORY_LOCK_KEY]);
    try {
      const { rows } = await client.query<{ exists: boolean }>(
        "SELECT to_regclass('_prisma_migrations') IS NOT NULL AS exists",
      );
      if (!rows[0].exists) await client.query(POSTGRES_MIGRATIONS_TABLE_DDL);

      const appliedRows = await client.query<AppliedRow>(
        "SELECT migration_name, checksum, finished_at FROM _prisma_migrations WHERE rolled_back_at IS NULL",
      );
      const applied: string[] = [];
      for (const file of pending(files, appliedRows.rows, log)) {
        await client.query("BEGIN");
        try {
          const started = await client.query<{ now: Date }>("SELECT clock_timestamp() AS now");
          // No parameters: the simple query protocol runs the multi-statement script.
          await client.query(file.sql);
          await client.query(
            `INSERT INTO _prisma_migrations (id, checksum, finished_at, migration_name, logs, rolled_back_at, started_at, applied_steps_count)
             VALUES ($1, $2, clock_timestamp(), $3, NULL, NULL, $4, 1)`,
            [randomUUID(), file.checksum, file.name, started.rows[0].now],
          );
          await client.query("COMMIT");
        } catch (error) {
          await client.query("ROLLBACK").catch(() => {});
          throw failure(file.name, error);
        }
        applied.push(file.name);
        log(`applied migration ${file.name}`);
      }
      await whileLocked?.();
      return applied;
    } finally {
      await client.query("SELECT pg_advisory_unlock($1)", [PRISMA_ADVISORY_LOCK_KEY]).catch(() => {});
    }
  } finally {
    await client.end();
  }
}

/**
 * Applies every migration of `target.provider` not yet recorded in the database's `_prisma_migrations` table, in
 * folder-name order. Returns the names applied by this call (empty when the database was up to date).
 */
export async function applyMigrations(
  target: MigrationTarget,
  options: MigrateOptions = {},
): Promise<{ applied: string[] }> {
  const log = options.log ?? (() => {});
  const files = readMigrations(target.provider, options.migrationsDir);
  let applied: string[];
  if (target.provider === "sqlite") {
    const filename = target.filename;
    applied = await withSqliteStartLock(filename, async () => {
      const names = applySqlite(filename, files, log);
      await options.whileLocked?.();
      return names;
    });
  } else applied = await applyPostgres(target.url, files, log, options.whileLocked);
  log(
    applied.length
      ? `${target.provider}: applied ${applied.length} migration(s)`
      : `${target.provider}: database is up to date (${files.length} migration(s))`,
  );
  return { applied };
}
