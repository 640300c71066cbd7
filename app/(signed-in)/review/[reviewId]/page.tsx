import { ReviewLoader } from "@/components/review/review-loader";
import { guardPage } from "@/lib/server/http/page";
import { requireOwnReview } from "@/lib/server/review/load-review";
import { getReviewForReviewer } from "@/lib/server/review/get-review";

export const metadata = { title: "Review" };

export default async function ReviewPage({ params }: { params: Promise<{ reviewId: string }> }) {
  const { reviewId } = await params;
  const { user } = await guardPage(requireOwnReview(reviewId));
  const { review, doc, project, earlier } = await getReviewForReviewer(reviewId, user.id);
  return (
    <ReviewLoader
      reviewId={reviewId}
      projectId={project.id}
      image={{ id: review.annotation.image.id, width: review.annotation.image.width, height: review.annotation.image.height }}
      project={{ name: project.name, gestures: project.gestures, handAttributes: project.handAttributes, imageFlags: project.imageFlags }}
      doc={doc}
      annotationVersion={review.annotation.version}
      annotator={review.annotation.annotator.name}
      timeSpentMs={review.annotation.timeSpentMs}
      round={review.round}
      earlier={earlier.map((r) => ({ round: r.round, decision: r.decision, comment: r.comment, reviewer: r.reviewer.name }))}
    />
  );
}
