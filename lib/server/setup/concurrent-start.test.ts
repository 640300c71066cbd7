import { randomBytes } from "node:crypto";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { openDatabase } from "@/lib/server/db/open";
import { freshDatabase, lane, runScript, type TFreshDatabase } from "@/test/instances";

// Instances started together on an empty database used to race: the first admin and the demo were seeded
// after the migration lock was released, so one instance exited with "A user with this email already exists".
const INSTANCES = 5;
let fresh: TFreshDatabase | undefined;
afterAll(async () => fresh?.drop());

describe(`${INSTANCES} instances preparing one empty ${lane} database at the same moment`, () => {
  it("all start, and exactly one administrator and one demo project exist", { timeout: 240_000 }, async () => {
    fresh = await freshDatabase();
    // One data folder (shared storage, as several instances on one host or one S3 bucket would have).
    const env = {
      DATABASE_URL: fresh.url,
      PHALANX_DATA_DIR: fresh.dataDir,
      PHALANX_STORAGE: "local",
      PHALANX_DB_PROVIDER: "",
      PHALANX_ADMIN_EMAIL: "",
      PHALANX_ADMIN_PASSWORD: "",
      PHALANX_DEMO: "1",
      AUTH_SECRET: lane === "postgresql" ? randomBytes(32).toString("base64") : "",
    };
    const children = Array.from({ length: INSTANCES }, () => runScript("scripts/prepare.ts", env));
    const codes = await Promise.all(children.map((child) => child.exited));
    const outputs = children.map((child) => child.output());
    expect(codes, outputs.join("\n-----\n")).toEqual(Array(INSTANCES).fill(0));
    // The one-time passwords are announced by exactly one instance.
    expect(outputs.filter((text) => text.includes("First start: an administrator account was created")).length).toBe(1);

    const target =
      lane === "postgresql"
        ? { provider: lane, url: fresh.url }
        : { provider: lane, filename: path.join(fresh.dataDir, "phalanx.db") };
    const db = openDatabase(target);
    try {
      expect(await db.user.count({ where: { isAdmin: true } })).toBe(1);
      expect(await db.user.count({ where: { email: { endsWith: "@demo.phalanx.local" } } })).toBe(4);
      expect(await db.project.count()).toBe(1);
      expect(await db.image.count()).toBe(12);
    } finally {
      await db.$disconnect();
    }
  });
});
