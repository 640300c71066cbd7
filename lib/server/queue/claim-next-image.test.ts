import { describe, expect, it } from "vitest";
import { SLOT_HOLDING_STATUSES } from "@/lib/annotate/status";
import { db } from "@/lib/server/db";
import { skipAnnotation } from "@/lib/server/annotations/skip-annotation";
import { claimNextImage, type TClaimResult } from "./claim-next-image";
import { createAnnotators, createFixtureProject, createSubjectWithImages } from "./queue-test-fixtures";

const MINUTE = 60_000;
const claimedImage = (result: TClaimResult) => {
  if (result.annotationId === null) throw new Error(`expected a claim, got: ${result.message}`);
  return result.imageId;
};

describe("claimNextImage", () => {
  it("hands 50 images to 50 concurrent claimers exactly once each", async () => {
    const fixture = await createFixtureProject();
    const { images } = await createSubjectWithImages(fixture, 50);
    const users = await createAnnotators(fixture.project.id, 51);
    const claimers = users.slice(0, 50);

    const results = await Promise.all(claimers.map((user) => claimNextImage(fixture.project.id, user.id)));
    const imageIds = results.map(claimedImage);
    expect(new Set(imageIds).size).toBe(50);
    expect([...imageIds].sort()).toEqual(images.map((image) => image.id).sort());

    const rows = await db.annotation.findMany({ where: { image: { projectId: fixture.project.id } } });
    expect(rows).toHaveLength(50);
    expect(rows.every((row) => row.status === "draft" && row.leaseExpiresAt !== null)).toBe(true);
    expect(new Set(rows.map((row) => row.imageId)).size).toBe(50);
    expect(await db.auditEvent.count({ where: { projectId: fixture.project.id, action: "annotation.claimed" } })).toBe(
      50,
    );

    const late = await claimNextImage(fixture.project.id, users[50].id);
    expect(late).toMatchObject({ annotationId: null, blockedByConsent: 0, inProgressByOthers: 50 });
  });

  it("with annotationsPerImage = 2 gives each image to two different people, never twice to one", async () => {
    const fixture = await createFixtureProject({ annotationsPerImage: 2 });
    const { images } = await createSubjectWithImages(fixture, 12);
    const users = await createAnnotators(fixture.project.id, 5);

    // Everyone claims, hands in, and claims again, concurrently, until the queue is empty for them.
    const got = new Map<string, string[]>();
    await Promise.all(
      users.map(async (user) => {
        const mine: string[] = [];
        for (;;) {
          const result = await claimNextImage(fixture.project.id, user.id);
          if (result.annotationId === null) break;
          mine.push(result.imageId);
          await db.annotation.update({
            where: { id: result.annotationId },
            data: { status: "submitted", leaseExpiresAt: null },
          });
        }
        got.set(user.id, mine);
      }),
    );

    for (const mine of got.values()) expect(new Set(mine).size).toBe(mine.length);
    const rows = await db.annotation.findMany({
      where: { image: { projectId: fixture.project.id } },
      select: { imageId: true, annotatorId: true },
    });
    expect(rows).toHaveLength(24);
    for (const image of images) {
      const holders = rows.filter((row) => row.imageId === image.id).map((row) => row.annotatorId);
      expect(holders).toHaveLength(2);
      expect(new Set(holders).size).toBe(2);
    }
  });

  it("with k = 2 and concurrent first claims fills every slot once", async () => {
    const fixture = await createFixtureProject({ annotationsPerImage: 2 });
    const { images } = await createSubjectWithImages(fixture, 10);
    const users = await createAnnotators(fixture.project.id, 24);
    const results = await Promise.all(users.map((user) => claimNextImage(fixture.project.id, user.id)));
    expect(results.filter((result) => result.annotationId !== null)).toHaveLength(20);
    const rows = await db.annotation.groupBy({
      by: ["imageId"],
      where: { image: { projectId: fixture.project.id }, status: { in: [...SLOT_HOLDING_STATUSES] } },
      _count: { _all: true },
    });
    expect(rows).toHaveLength(images.length);
    expect(rows.every((row) => row._count._all === 2)).toBe(true);
  });

  it("resumes the draft the person already holds", async () => {
    const fixture = await createFixtureProject();
    await createSubjectWithImages(fixture, 3);
    const [user] = await createAnnotators(fixture.project.id, 1);
    const first = await claimNextImage(fixture.project.id, user.id);
    const again = await claimNextImage(fixture.project.id, user.id);
    expect(first).toMatchObject({ resumed: false });
    expect(again).toMatchObject({ annotationId: first.annotationId, imageId: first.imageId, resumed: true });
    expect(await db.annotation.count({ where: { annotatorId: user.id } })).toBe(1);
  });

  it("returns an image to the queue when its lease ran out; the first holder keeps their hands and gets another image", async () => {
    const fixture = await createFixtureProject({ leaseMinutes: 30 });
    const { images } = await createSubjectWithImages(fixture, 2);
    const [alice, bob] = await createAnnotators(fixture.project.id, 2);
    const t0 = new Date();
    const aliceFirst = await claimNextImage(fixture.project.id, alice.id, t0);
    expect(claimedImage(aliceFirst)).toBe(images[0].id);
    await db.hand.create({
      data: { annotationId: aliceFirst.annotationId!, position: 0, keypoints: [], attributes: {}, qualityFlags: [] },
    });

    // Still leased at 29 minutes: Bob gets the second image.
    const later = new Date(t0.getTime() + 29 * MINUTE);
    const bobFirst = await claimNextImage(fixture.project.id, bob.id, later);
    expect(claimedImage(bobFirst)).toBe(images[1].id);
    await db.annotation.update({
      where: { id: bobFirst.annotationId! },
      data: { status: "submitted", leaseExpiresAt: null },
    });

    // At 31 minutes Alice's lease is stale: Bob's next claim gets her image.
    const expired = new Date(t0.getTime() + 31 * MINUTE);
    const bobSecond = await claimNextImage(fixture.project.id, bob.id, expired);
    expect(claimedImage(bobSecond)).toBe(images[0].id);
    const aliceRow = await db.annotation.findUniqueOrThrow({
      where: { id: aliceFirst.annotationId! },
      include: { hands: true },
    });
    expect(aliceRow.status).toBe("expired");
    expect(aliceRow.leaseExpiresAt).toBeNull();
    expect(aliceRow.hands).toHaveLength(1);

    // Alice does not get her old image back (nor Bob's): nothing is left for her.
    const aliceAgain = await claimNextImage(fixture.project.id, alice.id, expired);
    expect(aliceAgain.annotationId).toBeNull();
  });

  it("an expired holder gets a different image on the next claim", async () => {
    const fixture = await createFixtureProject({ leaseMinutes: 10 });
    const { images } = await createSubjectWithImages(fixture, 3);
    const [alice] = await createAnnotators(fixture.project.id, 1);
    const t0 = new Date();
    const first = await claimNextImage(fixture.project.id, alice.id, t0);
    expect(claimedImage(first)).toBe(images[0].id);
    const next = await claimNextImage(fixture.project.id, alice.id, new Date(t0.getTime() + 11 * MINUTE));
    expect(claimedImage(next)).toBe(images[1].id);
    expect(next).toMatchObject({ resumed: false });
    expect((await db.annotation.findUniqueOrThrow({ where: { id: first.annotationId! } })).status).toBe("expired");
  });

  it("never hands out images without consent for annotation, or quarantined or purged ones", async () => {
    const fixture = await createFixtureProject();
    const noRecord = await createSubjectWithImages(fixture, 2, { scopes: null });
    const noScope = await createSubjectWithImages(fixture, 2, { scopes: ["research"] });
    const quarantined = await createSubjectWithImages(fixture, 1, { state: "quarantined" });
    const purged = await createSubjectWithImages(fixture, 1, { state: "purged" });
    const good = await createSubjectWithImages(fixture, 1);
    const users = await createAnnotators(fixture.project.id, 6);

    const results = await Promise.all(users.map((user) => claimNextImage(fixture.project.id, user.id)));
    const handedOut = results.filter((result) => result.annotationId !== null);
    expect(handedOut.map((result) => result.imageId)).toEqual([good.images[0].id]);
    const empty = results.find((result) => result.annotationId === null)!;
    expect(empty).toMatchObject({ blockedByConsent: 4, inProgressByOthers: 1 });
    expect(empty.message).toMatch(/4 images wait for consent/);
    const blockedIds = [...noRecord.images, ...noScope.images, ...quarantined.images, ...purged.images].map(
      (image) => image.id,
    );
    expect(await db.annotation.count({ where: { imageId: { in: blockedIds } } })).toBe(0);
  });

  it("after a skip, the person gets another image and the skipped one goes to someone else", async () => {
    const fixture = await createFixtureProject();
    const { images } = await createSubjectWithImages(fixture, 2);
    const [alice, bob] = await createAnnotators(fixture.project.id, 2);
    const first = await claimNextImage(fixture.project.id, alice.id);
    expect(claimedImage(first)).toBe(images[0].id);
    await skipAnnotation(first.annotationId!, alice.id, { reason: "Hands are cut off by the frame" });
    const skipped = await db.annotation.findUniqueOrThrow({ where: { id: first.annotationId! } });
    expect(skipped).toMatchObject({
      status: "skipped",
      skipReason: "Hands are cut off by the frame",
      leaseExpiresAt: null,
    });

    expect(claimedImage(await claimNextImage(fixture.project.id, alice.id))).toBe(images[1].id);
    expect(claimedImage(await claimNextImage(fixture.project.id, bob.id))).toBe(images[0].id);
    expect(await db.auditEvent.count({ where: { action: "annotation.skipped", targetId: first.annotationId! } })).toBe(
      1,
    );
  });

  it("refuses unknown projects", async () => {
    await expect(claimNextImage("no-such-project", "nobody")).rejects.toMatchObject({ code: "not_found" });
  });
});
