/**
 * Derives prisma/schema.postgresql.prisma from prisma/schema.prisma (the SQLite source of truth).
 * Run by `npm run db:generate`; `npm run db:check` fails when the committed file differs.
 */
import { readFileSync, writeFileSync } from "node:fs";
import { POSTGRES_SCHEMA_PATH, SQLITE_SCHEMA_PATH, derivePostgresSchema } from "./schema-files";

const derived = derivePostgresSchema(readFileSync(SQLITE_SCHEMA_PATH, "utf8"));
writeFileSync(POSTGRES_SCHEMA_PATH, derived);
console.log(`derived ${POSTGRES_SCHEMA_PATH}`);
