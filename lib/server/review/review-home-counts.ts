import "server-only";
import { db } from "@/lib/server/db";
import { Prisma } from "@/lib/server/db/generated/sqlite/client";

/**
 * The review home's figures in one statement (one round trip instead of three ORM counts): each walks the status
 * or reviewer index and reaches the row's image by primary key.
 */
export function reviewHomeCountsSql(projectId: string, reviewerId: string): Prisma.Sql {
  return Prisma.sql`SELECT
    (SELECT COUNT(*) FROM "Annotation" a JOIN "Image" i ON i."id" = a."imageId"
      WHERE a."status" = 'submitted' AND i."projectId" = ${projectId} AND i."state" = 'active') AS "waiting",
    (SELECT COUNT(*) FROM "Annotation" a JOIN "Image" i ON i."id" = a."imageId"
      WHERE a."status" = 'submitted' AND a."annotatorId" = ${reviewerId} AND i."projectId" = ${projectId}) AS "mine",
    (SELECT COUNT(*) FROM "Review" r JOIN "Annotation" a ON a."id" = r."annotationId" JOIN "Image" i ON i."id" = a."imageId"
      WHERE r."reviewerId" = ${reviewerId} AND r."decision" IS NOT NULL AND i."projectId" = ${projectId}) AS "decided"`;
}

/** The review home's figures: annotations waiting in the project, how many of them are the reviewer's own, and their decisions so far. */
export async function getReviewHomeCounts(
  projectId: string,
  reviewerId: string,
): Promise<{ waiting: number; mine: number; decided: number }> {
  const [row] = await db.$queryRaw<{ waiting: unknown; mine: unknown; decided: unknown }[]>(
    reviewHomeCountsSql(projectId, reviewerId),
  );
  return { waiting: Number(row.waiting), mine: Number(row.mine), decided: Number(row.decided) };
}
