import { createHash, randomBytes } from "node:crypto";
import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { PrismaBetterSqlite3 } from "@prisma/adapter-better-sqlite3";
import { PrismaPg } from "@prisma/adapter-pg";
import Database from "better-sqlite3";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { applyMigrations } from "./migrate";
import { PrismaClient as PostgresPrismaClient } from "./generated/postgresql/client";
import { PrismaClient as SqlitePrismaClient } from "./generated/sqlite/client";

const MIGRATIONS_DIR = path.join(process.cwd(), "prisma", "migrations");

/** Every model in prisma/schema.prisma is a table. */
const MODELS = [
  ...readFileSync(path.join(process.cwd(), "prisma", "schema.prisma"), "utf8").matchAll(/^model (\w+) \{/gm),
].map((m) => m[1]);

function migrationsOf(provider: "sqlite" | "postgresql") {
  const dir = path.join(MIGRATIONS_DIR, provider);
  return readdirSync(dir, { withFileTypes: true })
    .filter((e) => e.isDirectory())
    .map((e) => e.name)
    .sort()
    .map((name) => ({
      name,
      checksum: createHash("sha256")
        .update(readFileSync(path.join(dir, name, "migration.sql")))
        .digest("hex"),
    }));
}

/** A copy of prisma/migrations with one extra migration that fails halfway through. */
function migrationsWithBrokenOne(tmp: string, provider: "sqlite" | "postgresql"): string {
  const dir = path.join(tmp, "migrations");
  cpSync(MIGRATIONS_DIR, dir, { recursive: true });
  const broken = path.join(dir, provider, "99990101000000_broken");
  mkdirSync(broken, { recursive: true });
  writeFileSync(
    path.join(broken, "migration.sql"),
    'CREATE TABLE "HalfDone" ("id" TEXT NOT NULL PRIMARY KEY);\nINSERT INTO "NoSuchTable" ("id") VALUES (\'x\');\n',
  );
  return dir;
}

it("has migrations for every provider and sees the models", () => {
  expect(MODELS).toContain("User");
  expect(MODELS.length).toBeGreaterThan(10);
  expect(migrationsOf("sqlite").map((m) => m.name)).toEqual(migrationsOf("postgresql").map((m) => m.name));
});

describe("applyMigrations on SQLite", () => {
  let tmp: string;
  let filename: string;

  beforeAll(() => {
    tmp = mkdtempSync(path.join(os.tmpdir(), "phalanx-migrate-"));
    filename = path.join(tmp, "nested", "dir", "app.db"); // parent folders are created
  });
  afterAll(() => rmSync(tmp, { recursive: true, force: true }));

  it("creates every table and records the migrations with their checksums", async () => {
    const lines: string[] = [];
    const expected = migrationsOf("sqlite");
    const result = await applyMigrations({ provider: "sqlite", filename }, { log: (l) => lines.push(l) });
    expect(result.applied).toEqual(expected.map((m) => m.name));
    expect(lines.join("\n")).toContain(`applied migration ${expected[0].name}`);

    const db = new Database(filename, { readonly: true });
    try {
      const tables = (
        db.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").all() as { name: string }[]
      ).map((t) => t.name);
      for (const model of MODELS) expect(tables).toContain(model);
      expect(tables).toContain("_prisma_migrations");
      const rows = db
        .prepare(
          "SELECT migration_name, checksum, finished_at, rolled_back_at, applied_steps_count FROM _prisma_migrations ORDER BY migration_name",
        )
        .all() as {
        migration_name: string;
        checksum: string;
        finished_at: number;
        rolled_back_at: null;
        applied_steps_count: number;
      }[];
      expect(rows.map((r) => ({ name: r.migration_name, checksum: r.checksum }))).toEqual(expected);
      for (const row of rows) {
        expect(row.finished_at).not.toBeNull();
        expect(row.rolled_back_at).toBeNull();
        expect(row.applied_steps_count).toBe(1);
      }
      // Foreign keys and indexes came along.
      expect(db.prepare(`PRAGMA foreign_key_list("Membership")`).all()).toHaveLength(2);
      expect((db.prepare(`PRAGMA index_list("User")`).all() as { name: string }[]).map((i) => i.name)).toContain(
        "User_email_key",
      );
    } finally {
      db.close();
    }
  });

  it("is a no-op the second time", async () => {
    expect(await applyMigrations({ provider: "sqlite", filename })).toEqual({ applied: [] });
    const db = new Database(filename, { readonly: true });
    expect(db.prepare("SELECT COUNT(*) AS n FROM _prisma_migrations").get()).toEqual({
      n: migrationsOf("sqlite").length,
    });
    db.close();
  });

  it("works with the generated Prisma client", async () => {
    const prisma = new SqlitePrismaClient({ adapter: new PrismaBetterSqlite3({ url: `file:${filename}` }) });
    try {
      const created = await prisma.user.create({ data: { email: "ada@example.org", name: "Ada", passwordHash: "x" } });
      const read = await prisma.user.findUniqueOrThrow({ where: { email: "ada@example.org" } });
      expect(read).toMatchObject({ id: created.id, name: "Ada", isAdmin: false, mustChangePassword: false });
      expect(read.createdAt).toBeInstanceOf(Date);
    } finally {
      await prisma.$disconnect();
    }
  });

  it("fails clearly when an applied migration was edited", async () => {
    const tampered = path.join(tmp, "tampered.db");
    await applyMigrations({ provider: "sqlite", filename: tampered });
    const name = migrationsOf("sqlite")[0].name;
    const db = new Database(tampered);
    db.prepare("UPDATE _prisma_migrations SET checksum = ? WHERE migration_name = ?").run("0".repeat(64), name);
    db.close();
    await expect(applyMigrations({ provider: "sqlite", filename: tampered })).rejects.toThrow(
      new RegExp(`migration ${name} was modified after it was applied`),
    );
  });

  it("rolls a failing migration back entirely and says which one failed", async () => {
    const migrationsDir = migrationsWithBrokenOne(tmp, "sqlite");
    const broken = path.join(tmp, "broken.db");
    await expect(applyMigrations({ provider: "sqlite", filename: broken }, { migrationsDir })).rejects.toThrow(
      /migration 99990101000000_broken failed and was rolled back .*no such table: NoSuchTable/,
    );
    const db = new Database(broken, { readonly: true });
    try {
      expect(db.prepare("SELECT name FROM sqlite_master WHERE name = 'HalfDone'").get()).toBeUndefined();
      const names = (
        db.prepare("SELECT migration_name FROM _prisma_migrations").all() as { migration_name: string }[]
      ).map((r) => r.migration_name);
      expect(names).toEqual(migrationsOf("sqlite").map((m) => m.name)); // the good ones stay applied
    } finally {
      db.close();
    }
  });
});

const ADMIN_URL = process.env.TEST_POSTGRES_URL ?? "postgresql://postgres@127.0.0.1:5432/postgres";

describe.skipIf(process.env.SKIP_POSTGRES_TESTS === "1")("applyMigrations on PostgreSQL", () => {
  const dbName = `phalanx_migrate_test_${randomBytes(6).toString("hex")}`;
  const extraDbs: string[] = [];
  const urlOf = (name: string) => {
    const url = new URL(ADMIN_URL);
    url.pathname = `/${name}`;
    return url.toString();
  };
  const url = urlOf(dbName);
  const admin = async <T>(run: (client: pg.Client) => Promise<T>) => {
    const client = new pg.Client({ connectionString: ADMIN_URL });
    await client.connect();
    try {
      return await run(client);
    } finally {
      await client.end();
    }
  };
  const query = async (target: string, sql: string, params: unknown[] = []) => {
    const client = new pg.Client({ connectionString: target });
    await client.connect();
    try {
      return (await client.query(sql, params)).rows;
    } finally {
      await client.end();
    }
  };

  beforeAll(() => admin((c) => c.query(`CREATE DATABASE "${dbName}"`)));
  afterAll(() =>
    admin(async (c) => {
      for (const name of [dbName, ...extraDbs]) await c.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
    }),
  );

  it("creates every table and records the migrations with their checksums", async () => {
    const expected = migrationsOf("postgresql");
    const result = await applyMigrations({ provider: "postgresql", url });
    expect(result.applied).toEqual(expected.map((m) => m.name));

    const tables = (await query(url, "SELECT tablename FROM pg_tables WHERE schemaname = 'public'")).map(
      (r) => r.tablename,
    );
    for (const model of MODELS) expect(tables).toContain(model);
    const rows = await query(
      url,
      "SELECT migration_name, checksum, finished_at, rolled_back_at, applied_steps_count FROM _prisma_migrations ORDER BY migration_name",
    );
    expect(rows.map((r) => ({ name: r.migration_name, checksum: r.checksum }))).toEqual(expected);
    for (const row of rows) {
      expect(row.finished_at).toBeInstanceOf(Date);
      expect(row.rolled_back_at).toBeNull();
      expect(row.applied_steps_count).toBe(1);
    }
    const fks = await query(
      url,
      "SELECT conname FROM pg_constraint WHERE contype = 'f' AND conrelid = '\"Membership\"'::regclass",
    );
    expect(fks).toHaveLength(2);
  });

  it("is a no-op the second time, also when instances start together", async () => {
    const runs = await Promise.all([1, 2, 3].map(() => applyMigrations({ provider: "postgresql", url })));
    expect(runs.map((r) => r.applied)).toEqual([[], [], []]);
    expect(await query(url, "SELECT COUNT(*)::int AS n FROM _prisma_migrations")).toEqual([
      { n: migrationsOf("postgresql").length },
    ]);
  });

  it("applies once when several instances migrate a fresh database concurrently", async () => {
    const name = `${dbName}_race`;
    extraDbs.push(name);
    await admin((c) => c.query(`CREATE DATABASE "${name}"`));
    const runs = await Promise.all([1, 2, 3].map(() => applyMigrations({ provider: "postgresql", url: urlOf(name) })));
    expect(runs.flatMap((r) => r.applied)).toEqual(migrationsOf("postgresql").map((m) => m.name));
  });

  it("works with the generated Prisma client", async () => {
    const prisma = new PostgresPrismaClient({ adapter: new PrismaPg({ connectionString: url }) });
    try {
      const created = await prisma.user.create({
        data: { email: "grace@example.org", name: "Grace", passwordHash: "x" },
      });
      const read = await prisma.user.findUniqueOrThrow({ where: { email: "grace@example.org" } });
      expect(read).toMatchObject({ id: created.id, name: "Grace", isAdmin: false });
      expect(read.createdAt).toBeInstanceOf(Date);
    } finally {
      await prisma.$disconnect();
    }
  });

  it("fails clearly when an applied migration was edited", async () => {
    const name = migrationsOf("postgresql")[0].name;
    await query(url, "UPDATE _prisma_migrations SET checksum = $1 WHERE migration_name = $2", ["f".repeat(64), name]);
    await expect(applyMigrations({ provider: "postgresql", url })).rejects.toThrow(
      new RegExp(`migration ${name} was modified after it was applied`),
    );
  });

  it("rolls a failing migration back entirely and says which one failed", async () => {
    const name = `${dbName}_broken`;
    extraDbs.push(name);
    await admin((c) => c.query(`CREATE DATABASE "${name}"`));
    const tmp = mkdtempSync(path.join(os.tmpdir(), "phalanx-migrate-pg-"));
    try {
      const migrationsDir = migrationsWithBrokenOne(tmp, "postgresql");
      await expect(applyMigrations({ provider: "postgresql", url: urlOf(name) }, { migrationsDir })).rejects.toThrow(
        /migration 99990101000000_broken failed and was rolled back .*"NoSuchTable" does not exist/,
      );
      expect(await query(urlOf(name), "SELECT to_regclass('\"HalfDone\"') AS t")).toEqual([{ t: null }]);
      const names = (await query(urlOf(name), "SELECT migration_name FROM _prisma_migrations")).map(
        (r) => r.migration_name,
      );
      expect(names).toEqual(migrationsOf("postgresql").map((m) => m.name));
    } finally {
      rmSync(tmp, { recursive: true, force: true });
    }
  });
});
