/**
 * Vitest setup, run in each test file's worker before it imports anything: gives the file a fresh,
 * migrated database of the lane's provider (PHALANX_TEST_DB=sqlite|postgresql) and drops it afterwards.
 * Real databases only: a SQLite file in a temp folder, or a new PostgreSQL database.
 */
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { randomBytes } from "node:crypto";
import pg from "pg";
import { afterAll } from "vitest";
import { applyMigrations } from "@/lib/server/db/migrate";

const provider = process.env.PHALANX_TEST_DB === "postgresql" ? "postgresql" : "sqlite";
const tmp = mkdtempSync(path.join(os.tmpdir(), "phalanx-test-"));
process.env.PHALANX_DATA_DIR = tmp;

let dropDatabase = async () => {};
if (provider === "postgresql") {
  const adminUrl = process.env.PHALANX_TEST_POSTGRES_URL ?? "postgresql://postgres@127.0.0.1:5432/postgres";
  const name = `phalanx_t_${randomBytes(6).toString("hex")}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE "${name}"`);
  await admin.end();
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  process.env.DATABASE_URL = url.toString();
  await applyMigrations({ provider, url: url.toString() });
  dropDatabase = async () => {
    const client = new pg.Client({ connectionString: adminUrl });
    await client.connect();
    await client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
    await client.end();
  };
} else {
  const filename = path.join(tmp, "test.db");
  process.env.DATABASE_URL = `file:${filename}`;
  await applyMigrations({ provider, filename });
}

afterAll(async () => {
  const db = (globalThis as { phalanxDb?: { $disconnect(): Promise<void> } }).phalanxDb;
  await db?.$disconnect();
  await dropDatabase();
  rmSync(tmp, { recursive: true, force: true });
});
