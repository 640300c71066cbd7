import { describe, expect, it } from "vitest";
import { templateHand } from "@/lib/qc/synthetic-hands";
import { db } from "@/lib/server/db";
import { claimNextImage } from "@/lib/server/queue/claim-next-image";
import { saveAnnotation } from "@/lib/server/annotations/save-annotation";
import { skipAnnotation } from "@/lib/server/annotations/skip-annotation";
import { submitAnnotation } from "@/lib/server/annotations/submit-annotation";
import { claimNextReview } from "@/lib/server/review/claim-next-review";
import {
  createAnnotators,
  createFixtureProject,
  createSubjectWithImages,
} from "@/lib/server/queue/queue-test-fixtures";
import { imageAccessOf } from "./image-access-of";

/** The probe and the life of one annotation: who may read the original at each step (real services, real database). */
const hand = () => templateHand({ handedness: "left", view: "palm", wrist: [320, 400], middleMcp: [320, 250] });

async function originalsReadable(
  images: { id: string; subjectId: string; state: string }[],
  userId: string,
  roles: ("annotator" | "reviewer")[],
  now = new Date(),
) {
  let count = 0;
  for (const image of images) if ((await imageAccessOf(image, userId, roles, "original", now)) === "allow") count++;
  return count;
}

describe("originals by need", () => {
  it("claiming and skipping 15 times harvests no original (and no display copy)", async () => {
    const fixture = await createFixtureProject();
    const { images } = await createSubjectWithImages(fixture, 20);
    const [mallory] = await createAnnotators(fixture.project.id, 1);
    expect(await originalsReadable(images, mallory.id, ["annotator"])).toBe(0);
    for (let i = 0; i < 15; i++) {
      const claim = await claimNextImage(fixture.project.id, mallory.id);
      if (!claim.annotationId) throw new Error("queue ran dry");
      // While the claim is live, its original is readable: the work needs it.
      const claimed = images.find((image) => image.id === claim.imageId)!;
      expect(await imageAccessOf(claimed, mallory.id, ["annotator"], "original")).toBe("allow");
      await skipAnnotation(claim.annotationId, mallory.id, { reason: "Not a hand" });
    }
    expect(await originalsReadable(images, mallory.id, ["annotator"])).toBe(0);
    let displays = 0;
    for (const image of images)
      if ((await imageAccessOf(image, mallory.id, ["annotator"], "display")) === "allow") displays++;
    expect(displays).toBe(0);
  });

  it("an expired claim ends access; a submitted, then returned, annotation keeps it; acceptance ends it", async () => {
    const fixture = await createFixtureProject({ leaseMinutes: 30 });
    const { images } = await createSubjectWithImages(fixture, 2);
    const [ann] = await createAnnotators(fixture.project.id, 1);
    const reviewer = await db.user.create({
      data: {
        email: `r-${Date.now()}@example.test`,
        name: "Reviewer",
        passwordHash: "x",
        memberships: { create: { projectId: fixture.project.id, role: "reviewer" } },
      },
    });
    const claim = await claimNextImage(fixture.project.id, ann.id);
    if (!claim.annotationId) throw new Error("nothing claimed");
    const image = images.find((i) => i.id === claim.imageId)!;
    const inAnHour = new Date(Date.now() + 60 * 60 * 1000);
    expect(await imageAccessOf(image, ann.id, ["annotator"], "original", inAnHour)).toBe("forbidden");

    const saved = await saveAnnotation(claim.annotationId, ann.id, {
      version: 1,
      doc: { hands: [hand()], noHands: false, imageFlags: [] },
      activeMs: 1000,
    });
    await submitAnnotation(claim.annotationId, ann.id, { version: saved.version });
    expect(await imageAccessOf(image, ann.id, ["annotator"], "original", inAnHour)).toBe("allow");

    // The reviewer: nothing before claiming the review, the image while holding it, nothing after deciding.
    expect(await originalsReadable(images, reviewer.id, ["reviewer"])).toBe(0);
    const review = await claimNextReview(fixture.project.id, reviewer.id);
    if (!review.reviewId) throw new Error("nothing to review");
    expect(await imageAccessOf(image, reviewer.id, ["reviewer"], "original")).toBe("allow");
    expect(await originalsReadable(images, reviewer.id, ["reviewer"])).toBe(1);
    expect(
      await imageAccessOf(image, reviewer.id, ["reviewer"], "original", new Date(Date.now() + 31 * 60 * 1000)),
    ).toBe("forbidden");
    // What decide-review writes for "reject" (that service needs a signed-in request).
    await db.$transaction([
      db.review.update({
        where: { id: review.reviewId },
        data: { decision: "reject", comment: "Thumb is off", decidedAt: new Date(), leaseExpiresAt: null },
      }),
      db.annotation.update({ where: { id: claim.annotationId }, data: { status: "rejected" } }),
    ]);
    expect(await imageAccessOf(image, reviewer.id, ["reviewer"], "original")).toBe("forbidden");
    // Returned to the annotator: they need it to fix the work.
    expect(await imageAccessOf(image, ann.id, ["annotator"], "original")).toBe("allow");

    await db.annotation.update({ where: { id: claim.annotationId }, data: { status: "accepted" } });
    expect(await imageAccessOf(image, ann.id, ["annotator"], "original")).toBe("forbidden");
    // Their own accepted work stays viewable as the display copy.
    expect(await imageAccessOf(image, ann.id, ["annotator"], "display")).toBe("allow");
  });
});
