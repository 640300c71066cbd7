import { describe, expect, it } from "vitest";
import type { THand } from "@/lib/hand/schema";
import { openHand } from "./review-test-fixtures";
import { db } from "@/lib/server/db";
import { claimNextImage } from "@/lib/server/queue/claim-next-image";
import {
  createAnnotators,
  createFixtureProject,
  createSubjectWithImages,
} from "@/lib/server/queue/queue-test-fixtures";
import { saveAnnotation } from "@/lib/server/annotations/save-annotation";
import { submitAnnotation } from "@/lib/server/annotations/submit-annotation";
import { readAnnotationDoc } from "@/lib/server/annotations/read-annotation-doc";
import { getProjectStats } from "@/lib/server/stats/project-stats";
import { claimNextReview } from "./claim-next-review";
import { decideReview } from "./decide-review";
import { setGold } from "@/lib/server/gold/gold";

const hand = (handedness: "left" | "right") => openHand({ handedness });

describe("decideReview: fix and accept", () => {
  it("keeps the annotator's own flags on the annotation; the reviewer's flags stay with the review", async () => {
    const fixture = await createFixtureProject();
    await createSubjectWithImages(fixture, 1);
    const [annotator] = await createAnnotators(fixture.project.id, 1);
    const claim = await claimNextImage(fixture.project.id, annotator!.id);
    const annotationId = (claim as { annotationId: string }).annotationId;
    const saved = await saveAnnotation(annotationId, annotator!.id, {
      version: 1,
      doc: { hands: [hand("left")], noHands: false, imageFlags: [] },
      activeMs: 1000,
    });
    await submitAnnotation(annotationId, annotator!.id, { version: saved.version });
    const submitted = await db.annotation.findUniqueOrThrow({
      where: { id: annotationId },
      select: { version: true, qualityFlags: true },
    });
    expect(submitted.qualityFlags).toEqual([]);

    // The reviewer's "fix" labels the left hand as right: a strong handedness flag the annotator did not make.
    const review = await claimNextReview(fixture.project.id, fixture.manager.id);
    const reviewId = review.reviewId!;
    await decideReview(reviewId, fixture.manager.id, {
      decision: "fix_and_accept",
      version: submitted.version,
      comment: "",
      doc: { hands: [hand("right")], noHands: false, imageFlags: [] },
    });

    const after = await db.annotation.findUniqueOrThrow({
      where: { id: annotationId },
      select: { status: true, qualityFlags: true },
    });
    expect(after.status).toBe("accepted");
    expect(after.qualityFlags).toEqual([]);
    // The dataset carries the fix; the annotator's version and the difference stay with the review.
    expect((await readAnnotationDoc(annotationId)).doc.hands[0]!.handedness).toBe("right");
    const stored = await db.review.findUniqueOrThrow({ where: { id: reviewId }, select: { difference: true } });
    const difference = stored.difference as {
      original: { hands: THand[] };
      fixedFlags: { code: string; severity: string }[];
    };
    expect(difference.original.hands[0]!.handedness).toBe("left");
    expect(difference.fixedFlags.map((f) => [f.code, f.severity])).toContainEqual(["handedness-mismatch", "strong"]);

    const stats = await getProjectStats(fixture.project.id);
    const own = stats.annotators.find((a) => a.annotatorId === annotator!.id)!;
    expect(own).toMatchObject({ submitted: 1, accepted: 1, strongFlagged: 0, anyFlagged: 0 });
    expect(stats.flagsByCode).toEqual([]);
  });

  it("judges the fixed labels by the fix's own flags: a fixed mistake can become gold, a fix that plants one cannot", async () => {
    const fixture = await createFixtureProject();
    await createSubjectWithImages(fixture, 2);
    const [annotator] = await createAnnotators(fixture.project.id, 1);
    /** The annotator labels `labelled`, the manager fixes it to `fixed`: the annotation's id. */
    const labelAndFix = async (labelled: THand, fixed: THand) => {
      const claim = await claimNextImage(fixture.project.id, annotator!.id);
      const annotationId = (claim as { annotationId: string }).annotationId;
      const saved = await saveAnnotation(annotationId, annotator!.id, {
        version: 1,
        doc: { hands: [labelled], noHands: false, imageFlags: [] },
        activeMs: 1000,
      });
      await submitAnnotation(annotationId, annotator!.id, { version: saved.version });
      const { version } = await db.annotation.findUniqueOrThrow({ where: { id: annotationId } });
      const review = await claimNextReview(fixture.project.id, fixture.manager.id);
      await decideReview(review.reviewId!, fixture.manager.id, {
        decision: "fix_and_accept",
        version,
        comment: "",
        doc: { hands: [fixed], noHands: false, imageFlags: [] },
      });
      return annotationId;
    };

    // The annotator swapped left/right (strong); the reviewer fixed it: the annotation keeps the annotator's flag.
    const repaired = await labelAndFix(hand("right"), hand("left"));
    const stored = await db.annotation.findUniqueOrThrow({ where: { id: repaired }, select: { qualityFlags: true } });
    expect((stored.qualityFlags as { severity: string }[]).some((f) => f.severity === "strong")).toBe(true);
    await expect(setGold(fixture.project.id, repaired, true, fixture.manager.id)).resolves.toBeUndefined();

    // A correct label "fixed" into a left/right swap: the fix's strong flag blocks gold and is named.
    const broken = await labelAndFix(hand("left"), hand("right"));
    await expect(setGold(fixture.project.id, broken, true, fixture.manager.id)).rejects.toMatchObject({
      code: "conflict",
      message: expect.stringMatching(/Left\/right looks swapped/),
    });
  });
});
