import "server-only";
import { db } from "@/lib/server/db";

/** The review home page's counts: waiting annotations, how many of them are the reviewer's own, decisions made. */
export async function reviewSummary(projectId: string, reviewerId: string) {
  const [waiting, mine, decided] = await Promise.all([
    db.annotation.count({ where: { status: "submitted", image: { projectId, state: "active" } } }),
    db.annotation.count({ where: { status: "submitted", annotatorId: reviewerId, image: { projectId } } }),
    db.review.count({ where: { reviewerId, decision: { not: null }, annotation: { image: { projectId } } } }),
  ]);
  return { waiting, mine, decided };
}
