import { syncAnnotationRollup } from "@/lib/server/stats/annotation-rollup";
import "server-only";
import { refreshHandCoverage } from "@/lib/server/coverage/hand-columns";
import { AppError } from "@/lib/errors/app-error";
import { ANNOTATION_SCHEMA_VERSION, annotationDocProblems, type TAnnotationDoc } from "@/lib/annotate/schema";
import { readMediaPipePrediction, reviewFixedHandsColumn, reviewReturnedDocColumn } from "@/lib/server/db/json-columns";
import { submitProblems } from "@/lib/annotate/submit-checks";
import { docDifference } from "@/lib/review/difference";
import { annotationQualityFlags } from "@/lib/qc/annotation-flags";
import type { TReviewDecision } from "@/lib/review/schema";
import { db } from "@/lib/server/db";
import type { Prisma } from "@/lib/server/db/open";
import { recordAuditEvent } from "@/lib/server/audit/record-audit-event";
import { assertImageUsable } from "@/lib/server/annotations/load-own-annotation";
import { handRows, readAnnotationDoc } from "@/lib/server/annotations/read-annotation-doc";
import { skinMapOfImage } from "@/lib/server/qc/skin-map";
import { getProjectOrThrow } from "@/lib/server/projects/project-settings";
import { loadOwnReview } from "./load-review";

const NEXT_STATUS = { accept: "accepted", reject: "rejected", fix_and_accept: "accepted" } as const;

/**
 * Records a reviewer's decision in one transaction: accept; reject with a comment and pins (the work
 * returns to its annotator); or fix and accept, where the reviewer's labels replace the annotator's
 * and the annotator's version with the difference is kept in the review. Never on one's own work.
 */
export async function decideReview(reviewId: string, userId: string, decision: TReviewDecision, now = new Date()) {
  const review = await loadOwnReview(reviewId, userId);
  const { annotation } = review;
  if (annotation.annotatorId === userId) throw new AppError("forbidden", "You cannot review your own annotation");
  if (review.decision) throw new AppError("conflict", "This review was already decided");
  if (annotation.status !== "submitted")
    throw new AppError("conflict", "This annotation is no longer waiting for review");
  if (decision.version !== annotation.version)
    throw new AppError("conflict", "The annotation changed since you opened it; reload the review");
  await assertImageUsable(annotation.image, now);

  const { doc: original } = await readAnnotationDoc(annotation.id);
  if (decision.decision === "fix_and_accept") {
    const project = await getProjectOrThrow(annotation.image.projectId);
    const problems = annotationDocProblems(decision.doc, {
      ...annotation.image,
      gestures: project.gestures,
      handAttributes: project.handAttributes,
      imageFlags: project.imageFlags,
    });
    if (Object.keys(problems).length)
      throw new AppError(
        "invalid_input",
        `The fixed labels are invalid: ${Object.values(problems).join("; ")}`,
        problems,
      );
    const unfinished = submitProblems(decision.doc, annotation.image);
    if (unfinished.length)
      throw new AppError(
        "invalid_input",
        `The fixed labels are not complete: ${unfinished.map((p) => p.message).join("; ")}`,
      );
  }

  const projectId = annotation.image.projectId;
  const fix = decision.decision === "fix_and_accept" ? decision.doc : null;
  // The fix is checked with every signal its submission was (the model's handedness, the image's skin map):
  // its flags decide whether the fixed labels can become gold.
  const fixFlags = fix ? annotationQualityFlags(fix, annotation.image, await qualitySignals(annotation.id, fix)) : null;
  await db.$transaction(async (tx) => {
    const { count } = await tx.annotation.updateMany({
      where: { id: annotation.id, version: annotation.version, status: "submitted" },
      data: { status: NEXT_STATUS[decision.decision], version: { increment: 1 } },
    });
    if (count === 0) throw new AppError("conflict", "The annotation changed while you decided; reload the review");
    await tx.review.update({
      where: { id: reviewId },
      data: {
        decision: decision.decision,
        comment: decision.comment,
        decidedAt: now,
        leaseExpiresAt: null,
        fixedHands: fix ? reviewFixedHandsColumn.write(fix) : undefined,
        returnedDoc: decision.decision === "reject" ? reviewReturnedDocColumn.write(original) : undefined,
        // The fix's own flags live with the review: they are the reviewer's, not the annotator's.
        difference: fix
          ? ({
              ...docDifference(original, fix),
              original,
              fixedFlags: fixFlags!.all,
            } as unknown as Prisma.InputJsonValue)
          : undefined,
      },
    });
    if (decision.decision === "reject" && decision.pins.length) {
      await tx.reviewPin.createMany({ data: decision.pins.map((pin) => ({ ...pin, reviewId })) });
    }
    if (fix) {
      // The dataset carries the fixed hands; the annotation's qualityFlags stay the annotator's as
      // submitted, so per-annotator flag rates (dashboard) count only the annotator's own work.
      await tx.hand.deleteMany({ where: { annotationId: annotation.id } });
      if (fix.hands.length) await tx.hand.createMany({ data: handRows(annotation.id, fix.hands, fixFlags!.perHand) });
      await tx.annotation.update({
        where: { id: annotation.id },
        data: { noHands: fix.noHands, imageFlags: fix.imageFlags, schemaVersion: ANNOTATION_SCHEMA_VERSION },
      });
    }
    await refreshHandCoverage(tx, annotation.id);
    await syncAnnotationRollup(tx, [annotation.id]);
    await recordAuditEvent(
      {
        actorId: userId,
        projectId,
        action: `review.${decision.decision}`,
        targetType: "annotation",
        targetId: annotation.id,
        details: { reviewId, round: review.round, pins: decision.decision === "reject" ? decision.pins.length : 0 },
      },
      tx,
    );
  });
  return { decision: decision.decision, status: NEXT_STATUS[decision.decision] };
}

/** The signals beyond the labels that the checks use: the stored model prediction and the image's skin map. */
async function qualitySignals(annotationId: string, doc: TAnnotationDoc) {
  const stored = await db.annotation.findUniqueOrThrow({
    where: { id: annotationId },
    select: { source: true, modelPrediction: true, imageId: true },
  });
  return {
    modelPrediction: stored.source === "model_assisted" ? readMediaPipePrediction(stored.modelPrediction) : null,
    skin: doc.hands.length ? await skinMapOfImage(stored.imageId) : null,
  };
}
