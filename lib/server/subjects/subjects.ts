import "server-only";
import { AppError } from "@/lib/errors/app-error";
import { subjectCode, type TSubjectInput } from "@/lib/subjects/schema";
import { db } from "@/lib/server/db";
import { Prisma } from "@/lib/server/db/generated/sqlite/client";
import { recordAuditEvent } from "@/lib/server/audit/record-audit-event";
import { lockRowsForUpdate } from "@/lib/server/db/lock";
import { textContains } from "@/lib/server/db/text-search";

const SUBJECT_SELECT = {
  id: true,
  code: true,
  ageBand: true,
  sexOrGender: true,
  monkSkinTone: true,
  fitzpatrick: true,
  dominantHand: true,
  occupationGroup: true,
  notes: true,
  lastInteractionAt: true,
  createdAt: true,
} as const;

/** Creates a subject with the next free pseudonymous code of the project. */
export async function createSubject(projectId: string, input: TSubjectInput, actorId: string) {
  return db.$transaction(async (tx) => {
    // Serialise code allocation per project so two managers never get the same code.
    await lockRowsForUpdate(tx, "Project", { id: projectId });
    const count = await tx.subject.count({ where: { projectId } });
    let sequence = count + 1;
    while (
      await tx.subject.findUnique({
        where: { projectId_code: { projectId, code: subjectCode(sequence) } },
        select: { id: true },
      })
    )
      sequence++;
    const subject = await tx.subject.create({
      data: { ...input, projectId, code: subjectCode(sequence) },
      select: SUBJECT_SELECT,
    });
    await recordAuditEvent(
      {
        actorId,
        projectId,
        action: "subject.created",
        targetType: "subject",
        targetId: subject.id,
        details: { code: subject.code },
      },
      tx,
    );
    return subject;
  });
}

export async function updateSubject(projectId: string, subjectId: string, change: TSubjectInput, actorId: string) {
  await getSubjectOrThrow(projectId, subjectId);
  return db.$transaction(async (tx) => {
    const subject = await tx.subject.update({ where: { id: subjectId }, data: change, select: SUBJECT_SELECT });
    // Which fields changed, never their values: demographics stay out of the audit log.
    await recordAuditEvent(
      {
        actorId,
        projectId,
        action: "subject.updated",
        targetType: "subject",
        targetId: subjectId,
        details: { fields: Object.keys(change) },
      },
      tx,
    );
    return subject;
  });
}

/** A subject of this project, or 404: the project id is part of the lookup, never compared afterwards. */
export async function getSubjectOrThrow(projectId: string, subjectId: string) {
  const subject = await db.subject.findFirst({ where: { id: subjectId, projectId }, select: SUBJECT_SELECT });
  if (!subject) throw new AppError("not_found", "No such subject in this project");
  return subject;
}

export async function getSubjectByCodeOrThrow(projectId: string, code: string) {
  const subject = await db.subject.findUnique({
    where: { projectId_code: { projectId, code } },
    select: SUBJECT_SELECT,
  });
  if (!subject)
    throw new AppError("not_found", `No subject with code ${code} in this project`, {
      subjectCode: "Unknown subject code",
    });
  return subject;
}

/** `imageCounts: false` skips counting each subject's images (the gallery's subject filter needs only codes). */
export async function listSubjects(projectId: string, search?: string, options: { imageCounts?: boolean } = {}) {
  const query = search?.trim();
  const subjects = await db.subject.findMany({
    where: {
      projectId,
      ...(query ? { OR: [{ code: { contains: query.toUpperCase() } }, { notes: textContains(query) }] } : {}),
    },
    orderBy: { code: "asc" },
    select: SUBJECT_SELECT,
  });
  // Image counts per listed subject from the subjectId index (a relation count would group every image of every project).
  const counts = new Map<string, number>();
  for (let i = 0; options.imageCounts !== false && i < subjects.length; i += 500) {
    const ids = subjects.slice(i, i + 500).map((s) => s.id);
    const rows = await db.$queryRaw<{ id: string; n: number | bigint }[]>(subjectImageCountsSql(ids));
    for (const row of rows) counts.set(row.id, Number(row.n));
  }
  return subjects.map((subject) => ({ ...subject, _count: { images: counts.get(subject.id) ?? 0 } }));
}

/** How many images each of these subjects has (any state). */
export function subjectImageCountsSql(subjectIds: string[]): Prisma.Sql {
  return Prisma.sql`SELECT s."id" AS "id", (SELECT COUNT(*) FROM "Image" i WHERE i."subjectId" = s."id") AS "n" FROM "Subject" s WHERE s."id" IN (${Prisma.join(subjectIds)})`;
}
