import "server-only";
import { AppError } from "@/lib/errors/app-error";
import { recordAuditEvent } from "@/lib/server/audit/record-audit-event";
import { db } from "@/lib/server/db";

/**
 * The reviewer passes on their open review ("Next"): its lease ends, so the next claim drops it as an
 * abandoned one and the annotation waits for review again. A decided review cannot be released.
 */
export async function releaseReview(reviewId: string, userId: string) {
  const review = await db.review.findFirst({
    where: { id: reviewId, reviewerId: userId },
    select: { decision: true, annotationId: true, annotation: { select: { image: { select: { projectId: true } } } } },
  });
  if (!review) throw new AppError("not_found", "No such review");
  if (review.decision) throw new AppError("conflict", "This review is decided; there is nothing to pass on");
  await db.$transaction(async (tx) => {
    // Its lease ends now: the next claim in the project drops it, exactly as an abandoned one.
    await tx.review.updateMany({ where: { id: reviewId, decision: null }, data: { leaseExpiresAt: new Date(0) } });
    await recordAuditEvent(
      {
        actorId: userId,
        projectId: review.annotation.image.projectId,
        action: "review.released",
        targetType: "annotation",
        targetId: review.annotationId,
        details: { reviewId },
      },
      tx,
    );
  });
  return { annotationId: review.annotationId };
}
