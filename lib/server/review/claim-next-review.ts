import "server-only";
import { db } from "@/lib/server/db";
import { lockRowsForUpdate } from "@/lib/server/db/lock";
import { consentDecisions } from "@/lib/server/consent/consent-facts";
import { recordAuditEvent } from "@/lib/server/audit/record-audit-event";
import { getProjectOrThrow } from "@/lib/server/projects/project-settings";

const MINUTE = 60_000;

export type TReviewClaim = { reviewId: string; annotationId: string; resumed: boolean } | { reviewId: null; message: string };

/**
 * The next submitted annotation to review, claimed atomically as a lease (like annotation claims):
 * the reviewer's own open review first; otherwise the oldest submitted annotation of someone else
 * (a reviewer never reviews their own work) whose image is still usable and that nobody is reviewing.
 */
export async function claimNextReview(projectId: string, reviewerId: string, now = new Date(), only?: { annotationId: string }): Promise<TReviewClaim> {
  const project = await getProjectOrThrow(projectId);
  const subjects = await db.subject.findMany({ where: { projectId }, select: { id: true } });
  const decisions = await consentDecisions(subjects.map((s) => s.id), "annotation", now);
  const allowedSubjects = subjects.map((s) => s.id).filter((id) => decisions.get(id)!.allowed);
  const leaseExpiresAt = new Date(now.getTime() + project.leaseMinutes * MINUTE);

  const claimed = await db.$transaction(async (tx) => {
    await lockRowsForUpdate(tx, "Project", { id: projectId });
    // Abandoned reviews free their annotation again.
    await tx.review.deleteMany({ where: { decision: null, leaseExpiresAt: { lt: now }, annotation: { image: { projectId } } } });
    const open = await tx.review.findFirst({
      where: { reviewerId, decision: null, annotation: { status: "submitted", image: { projectId, state: "active", subjectId: { in: allowedSubjects } } } },
      select: { id: true, annotationId: true },
    });
    if (open && (!only || open.annotationId === only.annotationId)) {
      await tx.review.update({ where: { id: open.id }, data: { leaseExpiresAt } });
      return { reviewId: open.id, annotationId: open.annotationId, resumed: true };
    }
    const annotation = await tx.annotation.findFirst({
      where: {
        ...(only ? { id: only.annotationId } : {}),
        status: "submitted",
        annotatorId: { not: reviewerId },
        image: { projectId, state: "active", subjectId: { in: allowedSubjects } },
        reviews: { none: { decision: null } },
      },
      orderBy: { submittedAt: "asc" },
      select: { id: true },
    });
    if (!annotation) return null;
    // Counted on its own: a relation count in the query above groups every review of every project.
    const rounds = await tx.review.count({ where: { annotationId: annotation.id } });
    const review = await tx.review.create({
      data: { annotationId: annotation.id, reviewerId, round: rounds + 1, leaseExpiresAt },
      select: { id: true },
    });
    await recordAuditEvent({ actorId: reviewerId, projectId, action: "review.claimed", targetType: "annotation", targetId: annotation.id, details: { reviewId: review.id } }, tx);
    return { reviewId: review.id, annotationId: annotation.id, resumed: false };
  }, { maxWait: 20_000, timeout: 30_000 });
  if (claimed) return claimed;
  if (only) return { reviewId: null, message: "That annotation cannot be reviewed by you now: it is your own, already decided, or being reviewed by someone else." };
  const waiting = await db.annotation.count({ where: { status: "submitted", image: { projectId } } });
  const own = await db.annotation.count({ where: { status: "submitted", annotatorId: reviewerId, image: { projectId } } });
  return {
    reviewId: null,
    message: waiting === 0 ? "Nothing waits for review in this project." : `Nothing for you to review: ${own} of the ${waiting} waiting annotations are your own, the rest are being reviewed by others.`,
  };
}
