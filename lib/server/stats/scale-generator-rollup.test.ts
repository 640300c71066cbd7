/**
 * The scale generator (bench/support/scale-project.ts) writes the rollups and the columns the app keeps
 * (Annotation.rollup, Image.heldSlots/slotCap/queueHeld/labelStatus/doublyLabelled, the rollup tables) with
 * its bulk rows instead of catching up afterwards: they must equal what the app's own bookkeeping gives.
 * Runs on the lane's database (SQLite, or PostgreSQL with PHALANX_TEST_DB=postgresql).
 */
import Database from "better-sqlite3";
import pg from "pg";
import { describe, expect, it } from "vitest";
import { generateScaleProject, postgresSink, sqliteSink } from "@/bench/support/scale-project";
import { SLOT_HOLDING_STATUSES } from "@/lib/annotate/status";
import { databaseTarget } from "@/lib/env";
import { db } from "@/lib/server/db";
import { syncUncountedAnnotations } from "./annotation-rollup";
import { expectRollupEqualsRecomputation } from "./rollup-test-helpers";

const target = databaseTarget();

async function generate(images: number) {
  const options = { images, subjects: 20, annotators: 6, reviewers: 2, batch: 100 };
  if (target.provider === "postgresql") {
    const client = new pg.Client({ connectionString: target.url });
    await client.connect();
    try {
      return await generateScaleProject(db, await postgresSink(client), options);
    } finally {
      await client.end();
    }
  }
  const raw = new Database(target.filename);
  try {
    return await generateScaleProject(db, sqliteSink(raw), options);
  } finally {
    raw.close();
  }
}

describe("scale generator", () => {
  it("writes the rollups and the kept image columns as the app would have kept them", async () => {
    const { projectId } = await generate(400);
    // Nothing is left for the catch-up: every annotation and active image is counted already.
    expect(await db.$transaction((tx) => syncUncountedAnnotations(tx, projectId))).toBe(0);
    expect(await expectRollupEqualsRecomputation(projectId)).toBeGreaterThan(300);

    const images = await db.image.findMany({
      where: { projectId },
      select: {
        id: true,
        state: true,
        doubleAnnotate: true,
        heldSlots: true,
        slotCap: true,
        queueHeld: true,
        annotations: { select: { status: true, rollupStatus: true } },
      },
      orderBy: { id: "asc" },
    });
    const held = (statuses: string[]) =>
      statuses.filter((s) => (SLOT_HOLDING_STATUSES as readonly string[]).includes(s)).length;
    expect(images.map((i) => [i.id, i.heldSlots, i.slotCap, i.queueHeld])).toEqual(
      images.map((i) => {
        const n = held(i.annotations.map((a) => a.status));
        return [i.id, n, i.doubleAnnotate ? 2 : 1, i.state === "active" ? n : null];
      }),
    );
    // The generated data spans what the comparisons are about (else they would prove little).
    expect(new Set(images.map((i) => i.state))).toEqual(new Set(["active", "quarantined", "purged"]));
    expect(images.some((i) => i.doubleAnnotate && i.heldSlots === 2)).toBe(true);
    expect(images.flatMap((i) => i.annotations).every((a) => a.rollupStatus === a.status)).toBe(true);
  }, 120_000);
});
