/**
 * Image.heldSlots and Image.slotCap are kept by database triggers (migration 20261129154115_wave4_claims_scale_export_shards), and
 * the work queue trusts them (lib/server/queue/claim-next-image.ts). Here every kind of write that moves them is
 * made and both are compared with a recount after each. A later SQLite migration that copies one of the tables
 * (dropping its triggers) fails here too.
 */
import { describe, expect, it } from "vitest";
import { SLOT_HOLDING_STATUSES } from "@/lib/annotate/status";
import { databaseTarget } from "@/lib/env";
import { db } from "@/lib/server/db";
import {
  createAnnotators,
  createFixtureProject,
  createSubjectWithImages,
} from "@/lib/server/queue/queue-test-fixtures";

async function expectSlotsRecounted(projectId: string) {
  const [project, images] = await Promise.all([
    db.project.findUniqueOrThrow({ where: { id: projectId }, select: { annotationsPerImage: true } }),
    db.image.findMany({
      where: { projectId },
      select: {
        id: true,
        doubleAnnotate: true,
        heldSlots: true,
        slotCap: true,
        annotations: { select: { status: true } },
      },
    }),
  ]);
  const holding = SLOT_HOLDING_STATUSES as readonly string[];
  const stored = images.map((i) => ({ id: i.id, heldSlots: i.heldSlots, slotCap: i.slotCap }));
  const recounted = images.map((i) => ({
    id: i.id,
    heldSlots: i.annotations.filter((a) => holding.includes(a.status)).length,
    slotCap: Math.max(project.annotationsPerImage, i.doubleAnnotate ? 2 : 1),
  }));
  expect(stored).toEqual(recounted);
}

describe("slot triggers", () => {
  it("keep heldSlots and slotCap equal to a recount through inserts, status moves, deletes and setting changes", async () => {
    const fixture = await createFixtureProject();
    const projectId = fixture.project.id;
    const { images } = await createSubjectWithImages(fixture, 3);
    const [a, b, c] = await createAnnotators(projectId, 3);
    await expectSlotsRecounted(projectId);
    expect(images.length).toBe(3);

    const base = { imageFlags: [], qualityFlags: [] };
    const first = await db.annotation.create({ data: { ...base, imageId: images[0].id, annotatorId: a.id } });
    await db.annotation.create({ data: { ...base, imageId: images[0].id, annotatorId: b.id, status: "skipped" } });
    await db.annotation.createMany({
      data: [
        { ...base, imageId: images[1].id, annotatorId: a.id, status: "submitted" },
        { ...base, imageId: images[1].id, annotatorId: b.id, status: "accepted" },
        { ...base, imageId: images[2].id, annotatorId: c.id, status: "rejected" },
      ],
    });
    await expectSlotsRecounted(projectId);
    expect((await db.image.findUniqueOrThrow({ where: { id: images[1].id } })).heldSlots).toBe(2);

    // Status moves into and out of the slot-holding statuses, one by one and in bulk; edits that keep it.
    await db.annotation.update({ where: { id: first.id }, data: { status: "expired", leaseExpiresAt: null } });
    await expectSlotsRecounted(projectId);
    await db.annotation.update({ where: { id: first.id }, data: { status: "draft" } });
    await db.annotation.update({ where: { id: first.id }, data: { status: "draft", timeSpentMs: 5 } });
    await db.annotation.updateMany({ where: { image: { projectId } }, data: { status: "skipped" } });
    await expectSlotsRecounted(projectId);
    await db.annotation.updateMany({ where: { image: { projectId } }, data: { status: "submitted" } });
    await expectSlotsRecounted(projectId);
    expect((await db.image.findUniqueOrThrow({ where: { id: images[0].id } })).heldSlots).toBe(2);

    await db.annotation.delete({ where: { id: first.id } });
    await db.annotation.deleteMany({ where: { imageId: images[1].id } });
    await expectSlotsRecounted(projectId);

    // The cap follows the project's annotationsPerImage and the image's double annotation.
    await db.image.update({ where: { id: images[2].id }, data: { doubleAnnotate: true } });
    await expectSlotsRecounted(projectId);
    expect((await db.image.findUniqueOrThrow({ where: { id: images[2].id } })).slotCap).toBe(2);
    await db.project.update({ where: { id: projectId }, data: { annotationsPerImage: 3 } });
    await expectSlotsRecounted(projectId);
    expect((await db.image.findUniqueOrThrow({ where: { id: images[0].id } })).slotCap).toBe(3);
    const { images: later } = await createSubjectWithImages(fixture, 1);
    expect((await db.image.findUniqueOrThrow({ where: { id: later[0].id } })).slotCap).toBe(3);
    await db.project.update({ where: { id: projectId }, data: { annotationsPerImage: 1 } });
    await expectSlotsRecounted(projectId);
  });

  it("leave the image row unwritten when a labelling moves between slot-holding statuses", async () => {
    // Each write of the row leaves a dead version with an entry in every Image index (the queue index tests
    // heldSlots, so none is a HOT update) that later claims walk past; draft → submitted frees and takes no slot.
    const fixture = await createFixtureProject();
    const { images } = await createSubjectWithImages(fixture, 1);
    const [annotator] = await createAnnotators(fixture.project.id, 1);
    const draft = await db.annotation.create({
      data: { imageId: images[0].id, annotatorId: annotator.id, imageFlags: [], qualityFlags: [] },
    });
    const imageWrites = async (status: string) =>
      db.$transaction(async (tx) => {
        if (databaseTarget().provider === "postgresql") {
          const version = () =>
            tx.$queryRaw<{ v: string }[]>`SELECT CAST(xmin AS TEXT) AS v FROM "Image" WHERE "id" = ${images[0].id}`;
          const [before] = await version();
          await tx.annotation.update({ where: { id: draft.id }, data: { status } });
          const [after] = await version();
          return after.v === before.v ? 0 : 1;
        }
        // SQLite: total_changes() counts the rows written on this connection, the triggers' writes included.
        const changes = async () => Number((await tx.$queryRaw<{ n: bigint }[]>`SELECT total_changes() AS n`)[0].n);
        const before = await changes();
        await tx.annotation.update({ where: { id: draft.id }, data: { status } });
        return (await changes()) - before - 1;
      });
    expect(await imageWrites("submitted")).toBe(0);
    expect(await imageWrites("accepted")).toBe(0);
    expect(await imageWrites("expired")).toBe(1);
    await expectSlotsRecounted(fixture.project.id);
  });
});
