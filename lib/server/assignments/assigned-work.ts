import "server-only";
import type { TTx } from "@/lib/server/audit/record-audit-event";
import { Prisma } from "@/lib/server/db/generated/sqlite/client";

/**
 * The claim path's view of assignments (Image.assignedToId). An assigned image is reserved for its
 * assignee until they have an annotation on it that is no longer a draft (submitted, accepted, returned,
 * skipped or expired); after that its remaining slots (double annotation) are open to everyone.
 */

/**
 * SQL ("i" the image): the image is not reserved for someone else than `userId`. `LIMIT 1 OFFSET 0`: a probe
 * of the (imageId, annotatorId) index, not a hashed scan of every handed-in annotation (PostgreSQL's EXPLAIN).
 */
export const notReservedForOthers = (userId: string) => Prisma.sql`(i."assignedToId" IS NULL
  OR i."assignedToId" = ${userId}
  OR EXISTS (SELECT 1 FROM "Annotation" done WHERE done."imageId" = i."id" AND done."annotatorId" = i."assignedToId" AND done."status" <> 'draft' LIMIT 1 OFFSET 0))`;

/**
 * The oldest image assigned to `userId` that they never had, whose subject consents (`allowedSubjects`, decided
 * by lib/consent/rules.ts before the claim) and that still has a free slot, read from the
 * (projectId, assignedToId, state, createdAt) index: a person's assigned work comes before the open queue.
 */
export async function pickAssignedImage(
  tx: TTx,
  projectId: string,
  userId: string,
  allowedSubjects: string[],
): Promise<string | null> {
  if (allowedSubjects.length === 0) return null;
  const [row] = await tx.$queryRaw<{ id: string }[]>(Prisma.sql`
    SELECT i."id" FROM "Image" i
    WHERE i."projectId" = ${projectId} AND i."assignedToId" = ${userId} AND i."state" = 'active'
      AND i."heldSlots" < i."slotCap" AND i."subjectId" IN (${Prisma.join(allowedSubjects)})
      AND NOT EXISTS (SELECT 1 FROM "Annotation" mine WHERE mine."imageId" = i."id" AND mine."annotatorId" = ${userId})
    ORDER BY i."createdAt" ASC, i."id" ASC
    LIMIT 1`);
  return row?.id ?? null;
}
