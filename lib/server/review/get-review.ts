import "server-only";
import { readAnnotationDoc } from "@/lib/server/annotations/read-annotation-doc";
import { getProjectOrThrow } from "@/lib/server/projects/project-settings";
import { db } from "@/lib/server/db";
import { loadOwnReview } from "./load-review";
import { annotationQualityFlagsColumn, readMediaPipePrediction } from "@/lib/server/db/json-columns";

/** What the review screen shows: the labels, the image, the annotator's time, earlier rounds. */
export async function getReviewForReviewer(reviewId: string, userId: string) {
  const review = await loadOwnReview(reviewId, userId);
  const [{ doc }, project, earlier, stored] = await Promise.all([
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
    db.annotation.findUniqueOrThrow({
      where: { id: review.annotationId },
      select: { qualityFlags: true, source: true, modelPrediction: true },
    }),
  ]);
  // The flags stored at submit (the rubber-stamp guard among them) and the model's proposal (its handedness
  // is a QC signal the review screen recomputes with).
  const storedFlags = annotationQualityFlagsColumn.read(stored.qualityFlags) ?? [];
  const modelPrediction = stored.source === "model_assisted" ? readMediaPipePrediction(stored.modelPrediction) : null;
  return { review, doc, project, earlier, storedFlags, modelPrediction };
}
