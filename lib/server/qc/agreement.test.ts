import { describe, expect, it } from "vitest";
import { templateHand } from "@/lib/qc/synthetic-hands";
import type { THand } from "@/lib/hand/schema";
import { db } from "@/lib/server/db";
import {
  createAnnotators,
  createFixtureProject,
  createSubjectWithImages,
} from "@/lib/server/queue/queue-test-fixtures";
import { claimNextReview } from "@/lib/server/review/claim-next-review";
import { acceptedPairSample, imageAgreements } from "./agreement";

const hand = (wristX: number) =>
  templateHand({ handedness: "left", view: "palm", wrist: [wristX, 400], middleMcp: [wristX, 250] });

async function labelled(imageId: string, annotatorId: string, status: string, hands: THand[]) {
  return db.annotation.create({
    data: {
      imageId,
      annotatorId,
      status,
      submittedAt: new Date(),
      imageFlags: [],
      qualityFlags: [],
      hands: {
        create: hands.map((h, position) => ({
          position,
          handedness: h.handedness,
          keypoints: h.keypoints,
          bbox: h.bbox ?? undefined,
          attributes: {},
          qualityFlags: [],
        })),
      },
    },
  });
}

describe("agreement between two annotators", () => {
  it("scores each doubly-labelled image, lowest first; a specific disagreement can be claimed for review", async () => {
    const fixture = await createFixtureProject({ annotationsPerImage: 2 });
    const { images } = await createSubjectWithImages(fixture, 2);
    const [a, b, reviewer] = await createAnnotators(fixture.project.id, 3);
    await labelled(images[0].id, a.id, "accepted", [hand(200)]);
    await labelled(images[0].id, b.id, "accepted", [hand(200)]);
    await labelled(images[1].id, a.id, "submitted", [hand(200)]);
    const disputed = await labelled(images[1].id, b.id, "submitted", [hand(450)]);

    const rows = await imageAgreements(fixture.project.id);
    expect(rows.map((r) => r.imageId)).toEqual([images[1].id, images[0].id]);
    expect(rows[0].agreement).toBeLessThan(0.1);
    expect(rows[1].agreement).toBeCloseTo(1, 5);
    expect((await acceptedPairSample(fixture.project.id)).pairs).toBe(1);

    // The facts are stored on the image and read back while their basis holds (a planted value shows it)…
    const stored = await db.image.findUniqueOrThrow({ where: { id: images[1].id }, select: { agreementFacts: true } });
    const facts = JSON.parse(stored.agreementFacts!) as { agreement: number };
    await db.image.update({
      where: { id: images[1].id },
      data: { agreementFacts: JSON.stringify({ ...facts, agreement: 0.05 }) },
    });
    expect((await imageAgreements(fixture.project.id))[0].agreement).toBe(0.05);
    // …and computed again once a labelling changes (its hands now agree) or the project's sigmas do.
    await db.hand.updateMany({ where: { annotationId: disputed.id }, data: { keypoints: hand(200).keypoints } });
    await db.annotation.update({ where: { id: disputed.id }, data: { timeSpentMs: 1 } });
    expect((await imageAgreements(fixture.project.id)).map((r) => r.agreement)).toEqual([
      expect.closeTo(1, 5),
      expect.closeTo(1, 5),
    ]);
    const agreed = await db.image.findUniqueOrThrow({ where: { id: images[0].id }, select: { agreementFacts: true } });
    await db.image.update({
      where: { id: images[0].id },
      data: { agreementFacts: JSON.stringify({ ...JSON.parse(agreed.agreementFacts!), agreement: 0.05 }) },
    });
    expect((await imageAgreements(fixture.project.id))[0]).toMatchObject({ imageId: images[0].id, agreement: 0.05 });
    await db.project.update({
      where: { id: fixture.project.id },
      data: { oksSigmas: Array.from({ length: 21 }, () => 0.05) },
    });
    expect((await imageAgreements(fixture.project.id)).every((r) => r.agreement > 0.99)).toBe(true);
    await db.hand.updateMany({ where: { annotationId: disputed.id }, data: { keypoints: hand(450).keypoints } });
    await db.annotation.update({ where: { id: disputed.id }, data: { timeSpentMs: 2 } });

    const claim = await claimNextReview(fixture.project.id, reviewer.id, new Date(), { annotationId: disputed.id });
    expect(claim.reviewId).not.toBeNull();
    expect("annotationId" in claim && claim.annotationId).toBe(disputed.id);
    const own = await claimNextReview(fixture.project.id, b.id, new Date(), { annotationId: disputed.id });
    expect(own.reviewId).toBeNull();
  });
});

describe("double annotation of the agreement share", () => {
  it("hands an image drawn for double annotation to two different people even when the project asks for one", async () => {
    const { claimNextImage } = await import("@/lib/server/queue/claim-next-image");
    const fixture = await createFixtureProject({ annotationsPerImage: 1 });
    const { images } = await createSubjectWithImages(fixture, 1);
    await db.image.update({ where: { id: images[0].id }, data: { doubleAnnotate: true } });
    const [a, b, c] = await createAnnotators(fixture.project.id, 3);
    const claims = [
      await claimNextImage(fixture.project.id, a.id),
      await claimNextImage(fixture.project.id, b.id),
      await claimNextImage(fixture.project.id, c.id),
    ];
    expect(claims.map((claim) => claim.imageId)).toEqual([images[0].id, images[0].id, null]);
  });
});
