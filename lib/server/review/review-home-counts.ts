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
 * queue (quarantined or purged, a few per cent, found through the image state index); the reviewer's decisions
 * walk the reviewer index to each row's image.
 */
export function reviewHomeCountsSql(projectId: string, reviewerId: string): Prisma.Sql {
  return Prisma.sql`SELECT
    (SELECT COALESCE(SUM(r."annotations"), 0) FROM "AnnotationRollup" r
      WHERE r."projectId" = ${projectId} AND r."status" = 'submitted') AS "submitted",
    (SELECT COUNT(*) FROM "Image" i JOIN "Annotation" a ON a."imageId" = i."id" AND a."status" = 'submitted'
      WHERE i."projectId" = ${projectId} AND i."state" IN (${Prisma.join(SIDELINED)})) AS "sidelined",
    (SELECT COALESCE(SUM(r."annotations"), 0) FROM "AnnotationRollup" r
      WHERE r."projectId" = ${projectId} AND r."annotatorId" = ${reviewerId} AND r."status" = 'submitted') AS "mine",
    (SELECT COUNT(*) FROM "Review" r JOIN "Annotation" a ON a."id" = r."annotationId" JOIN "Image" i ON i."id" = a."imageId"
      WHERE r."reviewerId" = ${reviewerId} AND r."decision" IS NOT NULL AND i."projectId" = ${projectId}) AS "decided"`;
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
