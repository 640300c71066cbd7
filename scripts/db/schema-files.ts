import path from "node:path";

export const PRISMA_DIR = path.join(__dirname, "../../prisma");
export const SQLITE_SCHEMA_PATH = path.join(PRISMA_DIR, "schema.prisma");
export const POSTGRES_SCHEMA_PATH = path.join(PRISMA_DIR, "schema.postgresql.prisma");

const HEADER = "// GENERATED from schema.prisma by scripts/db/derive-schemas.ts. Do not edit.\n";

/** The PostgreSQL schema is the SQLite one with another provider and client output; nothing else differs. */
export function derivePostgresSchema(sqliteSchema: string): string {
  const replaced = sqliteSchema
    .replace(/provider = "sqlite"/, 'provider = "postgresql"')
    .replace('output   = "../lib/server/db/generated/sqlite"', 'output   = "../lib/server/db/generated/postgresql"');
  if (!replaced.includes('provider = "postgresql"') || !replaced.includes("generated/postgresql")) {
    throw new Error("schema.prisma: could not find the sqlite provider or client output line to derive from");
  }
  return HEADER + replaced;
}
