import "server-only";
import { db } from "@/lib/server/db";

/** The review home's figures: annotations waiting in the project, how many of them are the reviewer's own, and their decisions so far. */
export async function getReviewHomeCounts(
  projectId: string,
  reviewerId: string,
): Promise<{ waiting: number; mine: number; decided: number }> {
  const [waiting, mine, decided] = await Promise.all([
    db.annotation.count({ where: { status: "submitted", image: { projectId, state: "active" } } }),
    db.annotation.count({ where: { status: "submitted", annotatorId: reviewerId, image: { projectId } } }),
    db.review.count({ where: { reviewerId, decision: { not: null }, annotation: { image: { projectId } } } }),
  ]);
  return { waiting, mine, decided };
}
