import { syncAnnotationRollup } from "@/lib/server/stats/annotation-rollup";
import "server-only";
import { refreshHandCoverage } from "@/lib/server/coverage/hand-columns";
import { AppError } from "@/lib/errors/app-error";
import { reviewReturnedDocColumn } from "@/lib/server/db/json-columns";
import type { TReviewDecision } from "@/lib/review/schema";
import { db } from "@/lib/server/db";
import { recordAuditEvent } from "@/lib/server/audit/record-audit-event";
import { assertImageUsable } from "@/lib/server/annotations/load-own-annotation";
import { readAnnotationDoc } from "@/lib/server/annotations/read-annotation-doc";
import { assertValidFix, fixQualityFlags, writeFix } from "./apply-fix";
import { countOpenIssues, resolveOpenIssues } from "./issues";
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
  const fix = decision.decision === "fix_and_accept" ? decision.doc : null;
  if (fix) await assertValidFix(fix, annotation.image);
  const fixFlags = fix ? await fixQualityFlags(annotation.id, fix, annotation.image) : null;
  const accepting = decision.decision !== "reject";
  const openIssues = accepting ? await countOpenIssues(annotation.id) : 0;
  if (openIssues > 0 && !(accepting && decision.resolveOpenIssues))
    throw new AppError(
      "conflict",
      `${openIssues} ${openIssues === 1 ? "issue" : "issues"} from earlier rounds ${openIssues === 1 ? "is" : "are"} still open: resolve ${openIssues === 1 ? "it" : "them"} first, or accept and resolve ${openIssues === 1 ? "it" : "them all"}`,
      { openIssues: String(openIssues) },
    );

  const projectId = annotation.image.projectId;
  await db.$transaction(async (tx) => {
    const { count } = await tx.annotation.updateMany({
      where: { id: annotation.id, version: annotation.version, status: "submitted" },
      data: { status: NEXT_STATUS[decision.decision], version: { increment: 1 } },
    });
    if (count === 0) throw new AppError("conflict", "The annotation changed while you decided; reload the review");
    const written = fix ? await writeFix(tx, annotation.id, original, fix, fixFlags!) : null;
    await tx.review.update({
      where: { id: reviewId },
      data: {
        decision: decision.decision,
        comment: decision.comment,
        decidedAt: now,
        leaseExpiresAt: null,
        returnedDoc: decision.decision === "reject" ? reviewReturnedDocColumn.write(original) : undefined,
        // The fix's own flags live with the review: they are the reviewer's, not the annotator's.
        fixedHands: written?.fixedHands,
        difference: written?.difference,
      },
    });
    if (decision.decision === "reject" && decision.pins.length) {
      await tx.reviewPin.createMany({ data: decision.pins.map((pin) => ({ ...pin, reviewId })) });
    }
    if (openIssues > 0) await resolveOpenIssues(tx, annotation.id, userId, projectId, now);
    await refreshHandCoverage(tx, annotation.id);
    await syncAnnotationRollup(tx, [annotation.id]);
    await recordAuditEvent(
      {
        actorId: userId,
        projectId,
        action: `review.${decision.decision}`,
        targetType: "annotation",
        targetId: annotation.id,
        details: {
          reviewId,
          round: review.round,
          pins: decision.decision === "reject" ? decision.pins.length : 0,
          resolvedIssues: openIssues,
        },
      },
      tx,
    );
  });
  return { decision: decision.decision, status: NEXT_STATUS[decision.decision] };
}
