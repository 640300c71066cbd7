import { describe, expect, it } from "vitest";
import type { THand } from "@/lib/hand/schema";
import { openHand, openHandPoint } from "./review-test-fixtures";
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
import { claimNextReview } from "./claim-next-review";
import { decideReview } from "./decide-review";
import { correctAcceptedLabels } from "./correct-labels";

const hand = (thumbTipShift = 0) => openHand({ thumbTipShift });
const annotationOf = (id: string) =>
  db.annotation.findUniqueOrThrow({ where: { id }, select: { status: true, version: true, qualityFlags: true } });

async function acceptedAnnotation() {
  const fixture = await createFixtureProject();
  await createSubjectWithImages(fixture, 2);
  const [annotator] = await createAnnotators(fixture.project.id, 1);
  const { annotationId } = (await claimNextImage(fixture.project.id, annotator!.id)) as { annotationId: string };
  const saved = await saveAnnotation(annotationId, annotator!.id, {
    version: 1,
    doc: { hands: [hand()], noHands: false, imageFlags: [] },
    activeMs: 1000,
  });
  await submitAnnotation(annotationId, annotator!.id, { version: saved.version });
  const { reviewId } = await claimNextReview(fixture.project.id, fixture.manager.id);
  await decideReview(reviewId!, fixture.manager.id, {
    decision: "accept",
    version: (await annotationOf(annotationId)).version,
    comment: "",
  });
  return { fixture, annotator: annotator!, annotationId };
}

describe("correctAcceptedLabels: a manager fixes accepted labels", () => {
  it("replaces the dataset's hands, records a fixed-and-accepted round with what it replaced, keeps the annotator's flags", async () => {
    const { fixture, annotationId } = await acceptedAnnotation();
    const before = await annotationOf(annotationId);
    const result = await correctAcceptedLabels(fixture.project.id, fixture.manager.id, {
      annotationId,
      version: before.version,
      comment: "Thumb tip was on the nail",
      doc: { hands: [hand(15)], noHands: false, imageFlags: [] },
    });
    expect(result).toEqual({ version: before.version + 1, round: 2 });
    const after = await annotationOf(annotationId);
    expect(after).toMatchObject({ status: "accepted", version: before.version + 1 });
    expect(after.qualityFlags).toEqual(before.qualityFlags);
    expect((await readAnnotationDoc(annotationId)).doc.hands[0]!.keypoints[4]!.x).toBe(openHandPoint(4).x + 15);
    const rounds = await db.review.findMany({
      where: { annotationId },
      orderBy: { round: "asc" },
      select: { round: true, decision: true, comment: true, reviewerId: true, difference: true },
    });
    expect(rounds.map((r) => [r.round, r.decision])).toEqual([
      [1, "accept"],
      [2, "fix_and_accept"],
    ]);
    expect(rounds[1]).toMatchObject({ comment: "Thumb tip was on the nail", reviewerId: fixture.manager.id });
    const difference = rounds[1]!.difference as { original: { hands: THand[] }; changes: { joint: number }[] };
    expect(difference.original.hands[0]!.keypoints[4]!.x).toBe(openHandPoint(4).x);
    expect(difference.changes.map((c) => c.joint)).toEqual([4]);
    const audit = await db.auditEvent.findFirstOrThrow({
      where: { targetId: annotationId, action: "review.fix_and_accept" },
      select: { actorId: true, details: true },
    });
    expect(audit).toMatchObject({ actorId: fixture.manager.id, details: { round: 2, correction: true } });
  });

  it("changes nothing on a stale version, an incomplete fix, one's own labels, another project or unaccepted work", async () => {
    const { fixture, annotator, annotationId } = await acceptedAnnotation();
    const other = await createFixtureProject();
    const { version } = await annotationOf(annotationId);
    const good = { annotationId, version, comment: "", doc: { hands: [hand(15)], noHands: false, imageFlags: [] } };

    await expect(
      correctAcceptedLabels(fixture.project.id, fixture.manager.id, { ...good, version: version - 1 }),
    ).rejects.toThrow(/changed since you opened/);
    await expect(correctAcceptedLabels(other.project.id, other.manager.id, good)).rejects.toThrow(/No such annotation/);
    await expect(correctAcceptedLabels(fixture.project.id, annotator.id, good)).rejects.toThrow(/your own labels/);
    await expect(
      correctAcceptedLabels(fixture.project.id, fixture.manager.id, {
        ...good,
        doc: { hands: [{ ...hand(), keypoints: hand().keypoints.slice(0, 5) }], noHands: false, imageFlags: [] },
      }),
    ).rejects.toThrow(/fixed labels are (invalid|not complete)/);
    expect(await annotationOf(annotationId)).toMatchObject({ version, status: "accepted" });
    expect(await db.review.count({ where: { annotationId } })).toBe(1);

    // Work still being labelled is not corrected here.
    const { annotationId: open } = (await claimNextImage(fixture.project.id, annotator.id)) as { annotationId: string };
    await expect(
      correctAcceptedLabels(fixture.project.id, fixture.manager.id, { ...good, annotationId: open, version: 1 }),
    ).rejects.toThrow(/Only accepted labels/);
  });
});
