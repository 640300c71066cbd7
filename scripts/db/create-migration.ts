/**
 * `npm run db:migration -- <name>`: creates the next migration for BOTH providers.
 *
 * Re-derives prisma/schema.postgresql.prisma, then for sqlite and postgresql diffs (with Prisma's schema engine in
 * WebAssembly, see wasm-engine.ts) from the latest migration's schema snapshot (or an empty database) to the
 * current schema, and writes prisma/migrations/<provider>/<YYYYMMDDHHMMSS>_<name>/{migration.sql,schema.prisma}
 * under the same folder name for both. Writes nothing when the schema has not changed.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { POSTGRES_SCHEMA_PATH } from "./schema-files";
import {
  PROVIDERS,
  SNAPSHOT_FILE,
  currentSchemas,
  latestSnapshot,
  listMigrations,
  migrationLock,
  providerDir,
} from "./migrations-dir";
import { diffSchemas, type MigrationProvider } from "./wasm-engine";

function usage(message: string): never {
  console.error(`${message}\nusage: npm run db:migration -- <name>   (letters, digits, _ and -)`);
  process.exit(2);
}

function timestamp(date: Date): string {
  const pad = (n: number) => String(n).padStart(2, "0");
  return (
    `${date.getUTCFullYear()}${pad(date.getUTCMonth() + 1)}${pad(date.getUTCDate())}` +
    `${pad(date.getUTCHours())}${pad(date.getUTCMinutes())}${pad(date.getUTCSeconds())}`
  );
}

async function main() {
  const args = process.argv.slice(2).filter((arg) => arg !== "--");
  if (args.length !== 1) usage("expected exactly one migration name");
  const name = args[0]
    .trim()
    .replace(/[^A-Za-z0-9_-]+/g, "_")
    .replace(/^_+|_+$/g, "")
    .slice(0, 120);
  if (!name) usage(`invalid migration name ${JSON.stringify(args[0])}`);

  const schemas = currentSchemas();
  writeFileSync(POSTGRES_SCHEMA_PATH, schemas.postgresql);
  console.log(`derived ${path.relative(process.cwd(), POSTGRES_SCHEMA_PATH)}`);

  const [sqliteList, postgresList] = PROVIDERS.map(listMigrations);
  if (sqliteList.join("\n") !== postgresList.join("\n")) {
    throw new Error(
      "prisma/migrations/sqlite and prisma/migrations/postgresql hold different migration folders; fix that first (npm run db:check)",
    );
  }

  const sql = {} as Record<MigrationProvider, string>;
  for (const provider of PROVIDERS) {
    const from = latestSnapshot(provider);
    sql[provider] = await diffSchemas(provider, from?.schema ?? null, schemas[provider]);
    console.log(
      `${provider}: ${sql[provider] ? "changes" : "no change"} since ${from ? from.migration : "an empty database"}`,
    );
  }
  if (!sql.sqlite && !sql.postgresql) {
    console.log("No schema change since the latest migration: nothing written.");
    return;
  }
  if (!sql.sqlite || !sql.postgresql) {
    // The schemas only differ by provider, so one provider changing without the other means a broken snapshot.
    throw new Error(
      `only ${sql.sqlite ? "sqlite" : "postgresql"} has changes: the migration snapshots disagree; nothing written`,
    );
  }

  const folder = `${timestamp(new Date())}_${name}`;
  const last = sqliteList.at(-1);
  if (last && folder <= last) {
    throw new Error(`new migration ${folder} would not sort after the latest one (${last}); check the clock`);
  }
  for (const provider of PROVIDERS) {
    const dir = path.join(providerDir(provider), folder);
    mkdirSync(dir, { recursive: true });
    writeFileSync(path.join(providerDir(provider), "migration_lock.toml"), migrationLock(provider));
    writeFileSync(path.join(dir, "migration.sql"), sql[provider]);
    writeFileSync(path.join(dir, SNAPSHOT_FILE), schemas[provider]);
    console.log(`wrote ${path.relative(process.cwd(), path.join(dir, "migration.sql"))}`);
  }
}

main().catch((error: unknown) => {
  console.error(`db:migration failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
