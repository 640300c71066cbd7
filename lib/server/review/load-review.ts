import "server-only";
import { AppError } from "@/lib/errors/app-error";
import { db } from "@/lib/server/db";
import { requireProjectPermission, requireUser, type TProjectAccess } from "@/lib/server/auth/authorize";

/** The reviewer's own open or decided review; anybody else's is "not found". */
export async function loadOwnReview(reviewId: string, userId: string) {
  const review = await db.review.findUnique({
    where: { id: reviewId },
    select: {
      id: true,
      reviewerId: true,
      decision: true,
      round: true,
      leaseExpiresAt: true,
      annotationId: true,
      annotation: {
        select: {
          id: true,
          annotatorId: true,
          status: true,
          version: true,
          timeSpentMs: true,
          submittedAt: true,
          source: true,
          qualityFlags: true,
          annotator: { select: { name: true } },
          image: { select: { id: true, projectId: true, subjectId: true, width: true, height: true, state: true } },
        },
      },
    },
  });
  if (!review || review.reviewerId !== userId) throw new AppError("not_found", "No such review");
  return review;
}

/**
 * Route and page guard: the review is the caller's (looked up within their reviews, so anybody else's
 * is 404) and they review in its project; nobody reviews their own work, whatever the roles.
 */
export async function requireOwnReview(reviewId: string): Promise<TProjectAccess> {
  const user = await requireUser();
  const review = await db.review.findFirst({
    where: { id: reviewId, reviewerId: user.id },
    select: { annotation: { select: { annotatorId: true, image: { select: { projectId: true } } } } },
  });
  if (!review) throw new AppError("not_found", "No such review");
  const access = await requireProjectPermission(review.annotation.image.projectId, "qc.review");
  if (review.annotation.annotatorId === user.id)
    throw new AppError("forbidden", "You cannot review your own annotation");
  return access;
}
