import "server-only";
import { SLOT_HOLDING_STATUSES } from "@/lib/annotate/status";
import { AppError } from "@/lib/errors/app-error";
import { createStatsAccumulator, queueFromSlotHistogram, type TProjectStats } from "@/lib/stats/aggregate";
import { db } from "@/lib/server/db";
import { Prisma } from "@/lib/server/db/generated/sqlite/client";

/**
 * Annotations read per query: keeps memory flat on large projects. Prisma loads the relations of a
 * batch with `IN (…ids)`, so a batch stays well below SQLite's bound-parameter limit.
 */
const BATCH = 500;

/**
 * The manager dashboard's figures for one project (definitions in lib/stats/aggregate.ts).
 * The caller authorises (audit.view). Annotations of every image of the project count, whatever the
 * image's state now; the queue counts active images only.
 */
export async function getProjectStats(projectId: string): Promise<TProjectStats> {
  const project = await db.project.findUnique({ where: { id: projectId }, select: { annotationsPerImage: true } });
  if (!project) throw new AppError("not_found", "No such project");

  const accumulator = createStatsAccumulator();
  let cursor: string | undefined;
  for (;;) {
    const rows = await db.annotation.findMany({
      where: { image: { projectId } },
      orderBy: { id: "asc" },
      take: BATCH,
      ...(cursor ? { cursor: { id: cursor }, skip: 1 } : {}),
      select: {
        id: true, annotatorId: true, status: true, timeSpentMs: true, goldScore: true, modelCorrectionPx: true, qualityFlags: true,
        _count: { select: { hands: true } },
        reviews: { where: { decision: { not: null } }, select: { decision: true } },
      },
    });
    for (const row of rows) {
      accumulator.add({
        annotatorId: row.annotatorId, status: row.status, timeSpentMs: row.timeSpentMs, goldScore: row.goldScore, modelCorrectionPx: row.modelCorrectionPx,
        qualityFlags: row.qualityFlags, handCount: row._count.hands, decisions: row.reviews.map((review) => review.decision!),
      });
    }
    if (rows.length < BATCH) break;
    cursor = rows[rows.length - 1]!.id;
  }

  const [histogram, reviewsWaiting] = await Promise.all([slotHistogram(projectId, project.annotationsPerImage), db.annotation.count({ where: { status: "submitted", image: { projectId } } })]);
  const queue = queueFromSlotHistogram(histogram, project.annotationsPerImage, reviewsWaiting);

  const ids = accumulator.annotatorIds();
  const names = new Map<string, string>();
  for (let i = 0; i < ids.length; i += BATCH) {
    const users = await db.user.findMany({ where: { id: { in: ids.slice(i, i + BATCH) } }, select: { id: true, name: true } });
    for (const user of users) names.set(user.id, user.name);
  }
  return accumulator.result(names, queue);
}

/**
 * Active images of the project grouped by how many slot-holding annotations they have. Approximate by
 * design: it ignores consent (images whose subject's consent does not allow annotation now are counted as
 * waiting) and drafts whose lease ran out still hold their slot until the next claim expires them.
 */
async function slotHistogram(projectId: string, annotationsPerImage: number): Promise<{ held: number; images: number }[]> {
  // Images drawn for double annotation need max(k, 2) labellings: counting them `extra` lower keeps
  // "held < k" (and "k - held" open slots) right for both kinds.
  const extra = Math.max(annotationsPerImage, 2) - Math.max(annotationsPerImage, 1);
  const rows = await db.$queryRaw<{ held: number | bigint; images: number | bigint }[]>(Prisma.sql`
    SELECT t."held" AS "held", CAST(COUNT(*) AS INTEGER) AS "images" FROM (
      SELECT CAST((SELECT COUNT(*) FROM "Annotation" a WHERE a."imageId" = i."id" AND a."status" IN (${Prisma.join([...SLOT_HOLDING_STATUSES])}))
        - CASE WHEN i."doubleAnnotate" THEN CAST(${extra} AS INTEGER) ELSE 0 END AS INTEGER) AS "held"
      FROM "Image" i WHERE i."projectId" = ${projectId} AND i."state" = 'active'
    ) t
    GROUP BY t."held"`);
  return rows.map((row) => ({ held: Number(row.held), images: Number(row.images) }));
}
