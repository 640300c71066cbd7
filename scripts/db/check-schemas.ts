/**
 * `npm run db:check` (CI): fails when
 *   (a) the committed prisma/schema.postgresql.prisma is not what derivePostgresSchema(schema.prisma) gives,
 *   (b) for either provider, the schema has changes that no migration covers, or
 *   (c) prisma/migrations/sqlite and prisma/migrations/postgresql hold different migration folders.
 */
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { POSTGRES_SCHEMA_PATH } from "./schema-files";
import { PROVIDERS, currentSchemas, latestSnapshot, listMigrations } from "./migrations-dir";
import { diffSchemas } from "./wasm-engine";

async function main() {
  const problems: string[] = [];
  const schemas = currentSchemas();
  const rel = (file: string) => path.relative(process.cwd(), file);

  // (a)
  const committed = existsSync(POSTGRES_SCHEMA_PATH) ? readFileSync(POSTGRES_SCHEMA_PATH, "utf8") : null;
  if (committed !== schemas.postgresql) {
    problems.push(
      `${rel(POSTGRES_SCHEMA_PATH)} ${committed === null ? "is missing" : "differs from what schema.prisma derives"}: run npm run db:generate (and never edit it by hand)`,
    );
  }

  // (c)
  const [sqliteList, postgresList] = PROVIDERS.map(listMigrations);
  const onlySqlite = sqliteList.filter((m) => !postgresList.includes(m));
  const onlyPostgres = postgresList.filter((m) => !sqliteList.includes(m));
  if (onlySqlite.length || onlyPostgres.length) {
    problems.push(
      "the two providers' migration folders differ:" +
        (onlySqlite.length ? ` only in sqlite: ${onlySqlite.join(", ")};` : "") +
        (onlyPostgres.length ? ` only in postgresql: ${onlyPostgres.join(", ")};` : ""),
    );
  }

  // (b)
  for (const provider of PROVIDERS) {
    try {
      const from = latestSnapshot(provider);
      const sql = await diffSchemas(provider, from?.schema ?? null, schemas[provider]);
      if (sql) {
        const counts = new Map<string, number>();
        for (const line of sql.split("\n")) {
          const step = /^-- (\w+)$/.exec(line)?.[1];
          if (step) counts.set(step, (counts.get(step) ?? 0) + 1);
        }
        const steps = [...counts].map(([step, n]) => `${n}× ${step}`).join(", ");
        problems.push(
          `${provider}: schema has changes that no migration covers (${steps}${from ? ` since ${from.migration}` : ", and there is no migration yet"}): run npm run db:migration -- <name>`,
        );
      }
    } catch (error) {
      problems.push(`${provider}: ${error instanceof Error ? error.message : String(error)}`);
    }
  }

  if (problems.length) {
    console.error(`db:check failed:\n${problems.map((p) => `  - ${p}`).join("\n")}`);
    process.exit(1);
  }
  console.log(
    `db:check OK: schema.postgresql.prisma is derived, ${sqliteList.length} migration(s) per provider cover the schema`,
  );
}

main().catch((error: unknown) => {
  console.error(`db:check failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
