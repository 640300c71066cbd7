import { ReviewLoader } from "@/components/review/review-loader";
import { resourcePage } from "@/lib/server/http/page";
import { ownReview } from "@/lib/server/auth/resource-guards";
import { getReviewForReviewer } from "@/lib/server/review/get-review";
import { changesSinceReturn, listIssues } from "@/lib/server/review/issues";

export const metadata = { title: "Review" };

export default resourcePage(ownReview, async function ReviewPage({ params: { reviewId }, access: { user } }) {
  const { review, doc, project, earlier, storedFlags, modelPrediction } = await getReviewForReviewer(reviewId, user.id);
  const [issues, changes] = await Promise.all([
    listIssues(review.annotationId),
    review.round > 1 ? changesSinceReturn(review.annotationId) : null,
  ]);
  return (
    <ReviewLoader
      reviewId={reviewId}
      annotationId={review.annotationId}
      projectId={project.id}
      image={{
        id: review.annotation.image.id,
        width: review.annotation.image.width,
        height: review.annotation.image.height,
      }}
      project={{
        name: project.name,
        gestures: project.gestures,
        handAttributes: project.handAttributes,
        imageFlags: project.imageFlags,
      }}
      doc={doc}
      storedFlags={storedFlags}
      modelPrediction={modelPrediction}
      annotationVersion={review.annotation.version}
      annotator={review.annotation.annotator.name}
      timeSpentMs={review.annotation.timeSpentMs}
      round={review.round}
      earlier={earlier.map((r) => ({
        round: r.round,
        decision: r.decision,
        comment: r.comment,
        reviewer: r.reviewer.name,
      }))}
      issues={issues}
      changes={changes}
    />
  );
});
