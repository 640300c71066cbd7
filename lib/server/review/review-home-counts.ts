import "server-only";
import { db } from "@/lib/server/db";
import { Prisma } from "@/lib/server/db/generated/sqlite/client";
import { IMAGE_STATES } from "@/lib/images/gallery-filters";
import { catchUpRollup } from "@/lib/server/stats/annotation-rollup";

/** Image states out of the queue: their submitted annotations wait for nobody. */
const SIDELINED = IMAGE_STATES.filter((state) => state !== "active");

/**
 * The review home's figures in one statement. Submitted annotations come from the dashboard rollup
 * (AnnotationRollup: every submit is counted there in its own transaction), less those on images that left the
 * queue (quarantined or purged, a few per cent): their Image.submittedCount summed over the (projectId, state,
 * submittedCount) index, without reading their annotations. The reviewer's decisions are counted on the
 * (reviewerId, projectId, decision) index alone (Review.projectId), without reaching each row's image.
 */
export function reviewHomeCountsSql(projectId: string, reviewerId: string): Prisma.Sql {
  return Prisma.sql`SELECT
    (SELECT COALESCE(SUM(r."annotations"), 0) FROM "AnnotationRollup" r
      WHERE r."projectId" = ${projectId} AND r."status" = 'submitted') AS "submitted",
    (SELECT COALESCE(SUM(i."submittedCount"), 0) FROM "Image" i
      WHERE i."projectId" = ${projectId} AND i."state" IN (${Prisma.join(SIDELINED)})) AS "sidelined",
    (SELECT COALESCE(SUM(r."annotations"), 0) FROM "AnnotationRollup" r
      WHERE r."projectId" = ${projectId} AND r."annotatorId" = ${reviewerId} AND r."status" = 'submitted') AS "mine",
    (SELECT COUNT(*) FROM "Review" r
      WHERE r."reviewerId" = ${reviewerId} AND r."projectId" = ${projectId} AND r."decision" IS NOT NULL) AS "decided"`;
}

/** The review home's figures: annotations waiting in the project, how many of them are the reviewer's own, and their decisions so far. */
export async function getReviewHomeCounts(
  projectId: string,
  reviewerId: string,
): Promise<{ waiting: number; mine: number; decided: number }> {
  await catchUpRollup(projectId);
  const [row] = await db.$queryRaw<{ submitted: unknown; sidelined: unknown; mine: unknown; decided: unknown }[]>(
    reviewHomeCountsSql(projectId, reviewerId),
  );
  return {
    waiting: Number(row.submitted) - Number(row.sidelined),
    mine: Number(row.mine),
    decided: Number(row.decided),
  };
}
