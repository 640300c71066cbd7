import "server-only";
import { SLOT_HOLDING_STATUSES } from "@/lib/annotate/status";
import type { TAssignImages } from "@/lib/assignments/schema";
import { AppError } from "@/lib/errors/app-error";
import { recordAuditEvent } from "@/lib/server/audit/record-audit-event";
import { db } from "@/lib/server/db";
import { Prisma } from "@/lib/server/db/generated/sqlite/client";

/**
 * Assigns images to one annotator of the project (or takes them back, assigneeId null). Named images
 * must all belong to the project; a batch takes the oldest active images that nobody has started and
 * nobody is assigned. Bad input changes nothing. Returns how many images were assigned.
 */
export async function assignImages(projectId: string, input: TAssignImages, actorId: string) {
  if (input.assigneeId) {
    const member = await db.membership.findFirst({
      where: { projectId, userId: input.assigneeId, role: "annotator" },
      select: { id: true },
    });
    if (!member)
      throw new AppError("invalid_input", "The assignee is not an annotator of this project", {
        assigneeId: "not an annotator of this project",
      });
  }
  return db.$transaction(async (tx) => {
    let ids: string[];
    if (input.imageIds) {
      ids = [...new Set(input.imageIds)];
      const found = await tx.image.count({ where: { id: { in: ids }, projectId } });
      if (found !== ids.length)
        throw new AppError("invalid_input", `${ids.length - found} of the named images are not in this project`, {
          imageIds: "unknown images",
        });
    } else {
      const rows = await tx.$queryRaw<{ id: string }[]>(Prisma.sql`
        SELECT i."id" FROM "Image" i
        WHERE i."projectId" = ${projectId} AND i."state" = 'active' AND i."assignedToId" IS NULL
          ${input.subjectId ? Prisma.sql`AND i."subjectId" = ${input.subjectId}` : Prisma.empty}
          AND NOT EXISTS (SELECT 1 FROM "Annotation" a WHERE a."imageId" = i."id" AND a."status" IN (${Prisma.join([...SLOT_HOLDING_STATUSES])}))
        ORDER BY i."createdAt" ASC, i."id" ASC
        LIMIT ${input.count!}`);
      ids = rows.map((row) => row.id);
    }
    if (ids.length === 0) return { assigned: 0, imageIds: [] as string[] };
    await tx.image.updateMany({
      where: { id: { in: ids }, projectId },
      data: { assignedToId: input.assigneeId, assignedAt: input.assigneeId ? new Date() : null },
    });
    await recordAuditEvent(
      {
        actorId,
        projectId,
        action: input.assigneeId ? "images.assigned" : "images.unassigned",
        targetType: "user",
        targetId: input.assigneeId,
        details: { images: ids.length, batch: input.count !== undefined },
      },
      tx,
    );
    return { assigned: input.assigneeId ? ids.length : 0, imageIds: ids };
  });
}

export type TAssignmentRow = { userId: string; name: string; due: number; done: number };

/**
 * Per annotator of the project: images assigned to them that they still have to label ("due": no
 * annotation of theirs beyond a draft) and assigned images they have handed in or skipped ("done").
 * Two grouped queries on the assignment index, whatever the project's size.
 */
export async function assignmentSummary(projectId: string): Promise<TAssignmentRow[]> {
  const [members, rows] = await Promise.all([
    db.membership.findMany({
      where: { projectId, role: "annotator" },
      select: { user: { select: { id: true, name: true } } },
      orderBy: { user: { name: "asc" } },
    }),
    db.$queryRaw<{ userId: string; done: number | bigint; total: number | bigint }[]>(Prisma.sql`
      SELECT i."assignedToId" AS "userId",
        CAST(SUM(CASE WHEN EXISTS (SELECT 1 FROM "Annotation" a WHERE a."imageId" = i."id" AND a."annotatorId" = i."assignedToId" AND a."status" <> 'draft') THEN 1 ELSE 0 END) AS INTEGER) AS "done",
        CAST(COUNT(*) AS INTEGER) AS "total"
      FROM "Image" i
      WHERE i."projectId" = ${projectId} AND i."assignedToId" IS NOT NULL AND i."state" = 'active'
      GROUP BY i."assignedToId"`),
  ]);
  const byUser = new Map(rows.map((row) => [row.userId, { done: Number(row.done), total: Number(row.total) }]));
  return members.map(({ user }) => {
    const counts = byUser.get(user.id) ?? { done: 0, total: 0 };
    return { userId: user.id, name: user.name, due: counts.total - counts.done, done: counts.done };
  });
}

/** How many assigned images wait for this person in the project. */
export async function dueForPerson(projectId: string, userId: string): Promise<number> {
  return db.image.count({
    where: {
      projectId,
      assignedToId: userId,
      state: "active",
      annotations: { none: { annotatorId: userId, status: { not: "draft" } } },
    },
  });
}
