import "server-only";
import { db } from "@/lib/server/db";
import { databaseTarget } from "@/lib/env";
import { Prisma } from "@/lib/server/db/generated/sqlite/client";
import type { TTx } from "@/lib/server/audit/record-audit-event";
import { consentDecisions } from "@/lib/server/consent/consent-facts";
import { recordAuditEvent } from "@/lib/server/audit/record-audit-event";
import { getProjectOrThrow } from "@/lib/server/projects/project-settings";

const MINUTE = 60_000;

export type TReviewClaim =
  { reviewId: string; annotationId: string; resumed: boolean } | { reviewId: null; message: string };

/**
 * The next submitted annotation to review, claimed atomically as a lease (like annotation claims):
 * the reviewer's own open review first; otherwise a submitted annotation of someone else (a reviewer never
 * reviews their own work) whose image is still usable and that nobody is reviewing — strong-flagged work (a
 * likely labelling mistake) before the rest, the oldest first within each.
 * On SQLite the transaction's first statement is a write, so claims are serialised by its single writer; on
 * PostgreSQL claims run side by side, each locking the annotation it hands out (see pickForReviewSkipLocked).
 */
export async function claimNextReview(
  projectId: string,
  reviewerId: string,
  now = new Date(),
  only?: { annotationId: string },
  /** Annotations the reviewer passed over ("Next") in this sitting: not handed out again now. */
  skip: readonly string[] = [],
): Promise<TReviewClaim> {
  const project = await getProjectOrThrow(projectId);
  const subjects = await db.subject.findMany({ where: { projectId }, select: { id: true } });
  const decisions = await consentDecisions(
    subjects.map((s) => s.id),
    "annotation",
    now,
  );
  const allowedSubjects = subjects.map((s) => s.id).filter((id) => decisions.get(id)!.allowed);
  const leaseExpiresAt = new Date(now.getTime() + project.leaseMinutes * MINUTE);

  const postgres = databaseTarget().provider === "postgresql";
  const claimed = await db.$transaction(
    async (tx) => {
      // Abandoned reviews free their annotation again: found through the (decision, leaseExpiresAt) index, their
      // project checked per row.
      const abandoned = await tx.review.findMany({
        where: { decision: null, leaseExpiresAt: { lt: now } },
        select: { id: true, annotation: { select: { image: { select: { projectId: true } } } } },
      });
      const mineToFree = abandoned.filter((r) => r.annotation.image.projectId === projectId).map((r) => r.id);
      if (mineToFree.length) await tx.review.deleteMany({ where: { id: { in: mineToFree }, decision: null } });
      // The reviewer's open reviews are few (index on reviewerId, decision): their annotation checked per row.
      const allowed = new Set(allowedSubjects);
      const open = (
        await tx.review.findMany({
          where: { reviewerId, decision: null },
          select: {
            id: true,
            annotationId: true,
            annotation: {
              select: { status: true, image: { select: { projectId: true, state: true, subjectId: true } } },
            },
          },
        })
      ).find(
        ({ annotation: { status, image } }) =>
          status === "submitted" &&
          image.projectId === projectId &&
          image.state === "active" &&
          allowed.has(image.subjectId),
      );
      if (open && (!only || open.annotationId === only.annotationId)) {
        await tx.review.update({ where: { id: open.id }, data: { leaseExpiresAt } });
        return { reviewId: open.id, annotationId: open.annotationId, resumed: true };
      }
      const annotation = postgres
        ? await pickForReviewSkipLocked(tx, projectId, reviewerId, allowedSubjects, only?.annotationId, skip)
        : await pickForReview(tx, projectId, reviewerId, allowedSubjects, only?.annotationId, skip);
      if (!annotation) return null;
      // Counted on its own: a relation count in the query above groups every review of every project.
      const rounds = await tx.review.count({ where: { annotationId: annotation.id } });
      const review = await tx.review.create({
        data: { annotationId: annotation.id, reviewerId, round: rounds + 1, leaseExpiresAt },
        select: { id: true },
      });
      await recordAuditEvent(
        {
          actorId: reviewerId,
          projectId,
          action: "review.claimed",
          targetType: "annotation",
          targetId: annotation.id,
          details: { reviewId: review.id },
        },
        tx,
      );
      return { reviewId: review.id, annotationId: annotation.id, resumed: false };
    },
    { maxWait: 20_000, timeout: 30_000 },
  );
  if (claimed) return claimed;
  if (only)
    return {
      reviewId: null,
      message:
        "That annotation cannot be reviewed by you now: it is your own, already decided, or being reviewed by someone else.",
    };
  const waiting = await db.annotation.count({ where: { status: "submitted", image: { projectId } } });
  const own = await db.annotation.count({
    where: { status: "submitted", annotatorId: reviewerId, image: { projectId } },
  });
  return {
    reviewId: null,
    message:
      waiting === 0
        ? "Nothing waits for review in this project."
        : `Nothing for you to review: ${own} of the ${waiting} waiting annotations are your own, the rest are being reviewed by others.`,
  };
}

/**
 * What a reviewer may be handed ("a" the annotation, "i" its image): submitted by someone else, its image active
 * in the project with a usable subject, and nobody reviewing it.
 */
function reviewableSql(
  projectId: string,
  reviewerId: string,
  allowedSubjects: string[],
  onlyId?: string,
  skip: readonly string[] = [],
): Prisma.Sql {
  const subjects =
    databaseTarget().provider === "postgresql"
      ? Prisma.sql`i."subjectId" = ANY(${allowedSubjects})`
      : Prisma.sql`i."subjectId" IN (${Prisma.join(allowedSubjects)})`;
  return Prisma.sql`a."status" = 'submitted' AND a."annotatorId" <> ${reviewerId}
    AND i."projectId" = ${projectId} AND i."state" = 'active' AND ${subjects}
    AND NOT EXISTS (SELECT 1 FROM "Review" r WHERE r."annotationId" = a."id" AND r."decision" IS NULL)
    ${onlyId ? Prisma.sql`AND a."id" = ${onlyId}` : Prisma.empty}
    ${!onlyId && skip.length ? Prisma.sql`AND a."id" NOT IN (${Prisma.join([...skip])})` : Prisma.empty}`;
}

/** SQLite (claims serialised by its single writer): likely labelling mistakes (strong flags) first, then the oldest. */
async function pickForReview(
  tx: TTx,
  projectId: string,
  reviewerId: string,
  allowedSubjects: string[],
  onlyId?: string,
  skip: readonly string[] = [],
): Promise<{ id: string } | null> {
  if (!allowedSubjects.length) return null;
  // One pass per flag value: each walks the (status, strongFlagged, submittedAt) index in order and stops at the
  // first match, where one ORDER BY over both directions sorted every submitted annotation of the project.
  for (const strongFlagged of [true, false]) {
    const [row] = await tx.$queryRaw<{ id: string }[]>(Prisma.sql`
      SELECT a."id" FROM "Annotation" a JOIN "Image" i ON i."id" = a."imageId"
      WHERE ${reviewableSql(projectId, reviewerId, allowedSubjects, onlyId, skip)} AND a."strongFlagged" = ${strongFlagged}
      ORDER BY a."submittedAt" ASC, a."id" ASC
      LIMIT 1`);
    if (row) return row;
  }
  return null;
}

/**
 * PostgreSQL: the oldest submitted annotation of someone else with no open review, locked FOR UPDATE SKIP LOCKED
 * (concurrent reviewers take different ones), then re-checked in a new statement, which sees a review another
 * claim committed on it just before our lock was granted.
 */
async function pickForReviewSkipLocked(
  tx: TTx,
  projectId: string,
  reviewerId: string,
  allowedSubjects: string[],
  onlyId?: string,
  skip: readonly string[] = [],
): Promise<{ id: string; _count: { reviews: number } } | null> {
  if (!allowedSubjects.length) return null;
  const reviewable = reviewableSql(projectId, reviewerId, allowedSubjects, onlyId, skip);
  for (;;) {
    for (const skipLocked of [true, false]) {
      const candidates = await tx.$queryRaw<{ id: string }[]>(Prisma.sql`
        SELECT a."id" FROM "Annotation" a JOIN "Image" i ON i."id" = a."imageId"
        WHERE ${reviewable}
        ORDER BY a."strongFlagged" DESC, a."submittedAt" ASC, a."id" ASC
        LIMIT ${skipLocked ? 3 : 1}
        FOR UPDATE OF a ${skipLocked ? Prisma.sql`SKIP LOCKED` : Prisma.empty}`);
      if (!skipLocked && !candidates.length) return null;
      for (const { id } of candidates) {
        const [still] = await tx.$queryRaw<{ reviews: number }[]>(Prisma.sql`
          SELECT CAST((SELECT COUNT(*) FROM "Review" r WHERE r."annotationId" = a."id") AS INTEGER) AS "reviews"
          FROM "Annotation" a JOIN "Image" i ON i."id" = a."imageId" WHERE a."id" = ${id} AND ${reviewable}`);
        if (still) return { id, _count: { reviews: still.reviews } };
      }
    }
  }
}
