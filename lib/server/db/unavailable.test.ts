import { describe, expect, it } from "vitest";
import pg from "pg";
import { openDatabase } from "./open";
import { isDatabaseUnavailable } from "./unavailable";
import { db } from "@/lib/server/db";
import { databaseTarget } from "@/lib/env";

const postgres = databaseTarget().provider === "postgresql";

describe("isDatabaseUnavailable", () => {
  it.skipIf(!postgres)("recognises a PostgreSQL server that refuses connections, through Prisma", async () => {
    const unreachable = openDatabase({ provider: "postgresql", url: "postgresql://postgres@127.0.0.1:1/nowhere" });
    const error = await unreachable.user.count().catch((e: unknown) => e);
    expect(isDatabaseUnavailable(error)).toBe(true);
    const inTransaction = await unreachable.$transaction(async (tx) => tx.user.count()).catch((e: unknown) => e);
    expect(isDatabaseUnavailable(inTransaction)).toBe(true);
  });

  it.skipIf(!postgres)(
    "recognises a connection terminated by the server (pg_terminate_backend), and the pool recovers",
    async () => {
      const url = databaseTarget().provider === "postgresql" ? (databaseTarget() as { url: string }).url : "";
      const admin = new pg.Client({ connectionString: url });
      await admin.connect();
      try {
        const slow = db.$queryRawUnsafe("SELECT pg_sleep(5)::text AS slept").catch((e: unknown) => e);
        for (let i = 0; i < 50; i++) {
          const { rowCount } = await admin.query(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid() AND query LIKE '%pg_sleep(5)%'",
          );
          if (rowCount) break;
          await new Promise((resolve) => setTimeout(resolve, 50));
        }
        expect(isDatabaseUnavailable(await slow)).toBe(true);
        // No restart: the next query gets a fresh connection.
        expect(await db.user.count()).toBe(0);
      } finally {
        await admin.end();
      }
    },
  );

  it("is false for ordinary errors: a unique violation, a missing row, a bug", async () => {
    await db.user.create({ data: { email: "twice@example.test", name: "T", passwordHash: "x" } });
    const unique = await db.user
      .create({ data: { email: "twice@example.test", name: "T", passwordHash: "x" } })
      .catch((e: unknown) => e);
    expect(isDatabaseUnavailable(unique)).toBe(false);
    const missing = await db.user.findUniqueOrThrow({ where: { id: "nope" } }).catch((e: unknown) => e);
    expect(isDatabaseUnavailable(missing)).toBe(false);
    expect(isDatabaseUnavailable(new TypeError("x is undefined"))).toBe(false);
    await db.user.deleteMany();
  });
});
