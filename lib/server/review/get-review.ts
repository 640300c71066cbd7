import "server-only";
import { readAnnotationDoc } from "@/lib/server/annotations/read-annotation-doc";
import { getProjectOrThrow } from "@/lib/server/projects/project-settings";
import { db } from "@/lib/server/db";
import { loadOwnReview } from "./load-review";

/** What the review screen shows: the labels, the image, the annotator's time, earlier rounds. */
export async function getReviewForReviewer(reviewId: string, userId: string) {
  const review = await loadOwnReview(reviewId, userId);
  const [{ doc }, project, earlier] = await Promise.all([
    readAnnotationDoc(review.annotationId),
    getProjectOrThrow(review.annotation.image.projectId),
    db.review.findMany({
      where: { annotationId: review.annotationId, decision: { not: null } },
      orderBy: { decidedAt: "asc" },
      select: {
        round: true,
        decision: true,
        comment: true,
        decidedAt: true,
        reviewer: { select: { name: true } },
        pins: { select: { x: true, y: true, handIndex: true, jointIndex: true, message: true } },
      },
    }),
  ]);
  return { review, doc, project, earlier };
}
