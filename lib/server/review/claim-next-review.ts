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
 * PostgreSQL claims run side by side, each locking the annotation it hands out (see pickForReview).
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
      // Abandoned reviews free their annotation again.
      await tx.review.deleteMany({
        where: { decision: null, leaseExpiresAt: { lt: now }, annotation: { image: { projectId } } },
      });
      const open = await tx.review.findFirst({
        where: {
          reviewerId,
          decision: null,
          annotation: {
            status: "submitted",
            image: { projectId, state: "active", subjectId: { in: allowedSubjects } },
          },
        },
        select: { id: true, annotationId: true },
      });
      if (open && (!only || open.annotationId === only.annotationId)) {
        await tx.review.update({ where: { id: open.id }, data: { leaseExpiresAt } });
        return { reviewId: open.id, annotationId: open.annotationId, resumed: true };
      }
      const annotation = await pickForReview(tx, postgres, {
        projectId,
        reviewerId,
        allowedSubjects,
        onlyId: only?.annotationId,
        skip,
      });
      if (!annotation) return null;
      // Counted on its own: a relation count in the query above groups every review of every project.
      const rounds = await tx.review.count({ where: { annotationId: annotation.id } });
      const review = await tx.review.create({
        data: { annotationId: annotation.id, reviewerId, projectId, round: rounds + 1, leaseExpiresAt },
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

type TReviewPick = {
  projectId: string;
  reviewerId: string;
  allowedSubjects: string[];
  onlyId?: string;
  skip: readonly string[];
};

/**
 * SQL ("a" the annotation, "i" its image): a submitted annotation of someone else, on an active image of the
 * project whose subject consents, that nobody is reviewing now.
 */
const reviewable = ({ projectId, reviewerId, allowedSubjects, onlyId, skip }: TReviewPick) => Prisma.sql`
  i."id" = a."imageId" AND a."status" = 'submitted' AND a."annotatorId" <> ${reviewerId}
  AND i."projectId" = ${projectId} AND i."state" = 'active' AND i."subjectId" IN (${Prisma.join(allowedSubjects)})
  AND NOT EXISTS (SELECT 1 FROM "Review" r WHERE r."annotationId" = a."id" AND r."decision" IS NULL)
  ${onlyId ? Prisma.sql`AND a."id" = ${onlyId}` : Prisma.empty}
  ${!onlyId && skip.length ? Prisma.sql`AND a."id" NOT IN (${Prisma.join([...skip])})` : Prisma.empty}`;

/**
 * SQL: the first `limit` reviewable annotations of one group (strong-flagged or not), oldest first: a range of
 * the (status, strongFlagged, submittedAt) index read in order, whatever the backlog (CROSS JOIN keeps SQLite
 * from starting at the project's images instead). PostgreSQL locks them FOR UPDATE, skipping those that
 * concurrent claims hold ("skip") or waiting for them ("wait").
 */
const reviewQueue = (pick: TReviewPick, strong: boolean, limit: number, lock: "skip" | "wait" | null) => Prisma.sql`
  SELECT a."id" FROM "Annotation" a CROSS JOIN "Image" i
  WHERE a."strongFlagged" = ${Prisma.raw(strong ? "TRUE" : "FALSE")} AND ${reviewable(pick)}
  ORDER BY a."submittedAt" ASC, a."id" ASC
  LIMIT ${limit}
  ${lock === "skip" ? Prisma.sql`FOR UPDATE OF a SKIP LOCKED` : lock === "wait" ? Prisma.sql`FOR UPDATE OF a` : Prisma.empty}`;

/** Likely labelling mistakes (strong flags) first, then the rest. */
const GROUPS = [true, false];

/**
 * The annotation to hand out: the first reviewable one, strong-flagged work first. SQLite: read in order (the
 * transaction holds the single writer). PostgreSQL: the first few of a group that no concurrent claim holds are
 * locked FOR UPDATE SKIP LOCKED (concurrent reviewers take different ones), then re-checked in a new statement,
 * which sees a review another claim committed on one just before our lock was granted; when every candidate is
 * held, the claim waits for the first one's lock rather than answer "nothing to review".
 */
async function pickForReview(tx: TTx, postgres: boolean, pick: TReviewPick): Promise<{ id: string } | null> {
  if (!pick.allowedSubjects.length) return null;
  if (!postgres) {
    for (const strong of GROUPS) {
      const [first] = await tx.$queryRaw<{ id: string }[]>(reviewQueue(pick, strong, 1, null));
      if (first) return first;
    }
    return null;
  }
  for (;;) {
    for (const lock of ["skip", "wait"] as const) {
      let found = false;
      for (const strong of GROUPS) {
        const candidates = await tx.$queryRaw<{ id: string }[]>(
          reviewQueue(pick, strong, lock === "skip" ? 3 : 1, lock),
        );
        for (const { id } of candidates) {
          const [still] = await tx.$queryRaw<{ id: string }[]>(Prisma.sql`
            SELECT a."id" FROM "Annotation" a CROSS JOIN "Image" i WHERE a."id" = ${id} AND ${reviewable(pick)}`);
          if (still) return still;
        }
        found = candidates.length > 0;
        if (found) break;
      }
      if (lock === "wait" && !found) return null;
    }
  }
}
