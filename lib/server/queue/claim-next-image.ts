import "server-only";
import { imagePreAnnotationColumn } from "@/lib/server/db/json-columns";
import { handRows } from "@/lib/server/annotations/read-annotation-doc";
import { SLOT_HOLDING_STATUSES } from "@/lib/annotate/status";
import { AppError } from "@/lib/errors/app-error";
import type { TConsentDecision } from "@/lib/consent/rules";
import { db } from "@/lib/server/db";
import { Prisma } from "@/lib/server/db/generated/sqlite/client";
import { databaseTarget } from "@/lib/env";
import { recordAuditEvent, type TTx } from "@/lib/server/audit/record-audit-event";
import { consentDecisions } from "@/lib/server/consent/consent-facts";
import { coverageQueueOrder } from "@/lib/server/coverage/queue-priority";
import { notReservedForOthers, pickAssignedImage } from "@/lib/server/assignments/assigned-work";

export type TClaimed = { annotationId: string; imageId: string; leaseExpiresAt: Date; resumed: boolean };
export type TQueueEmpty = {
  annotationId: null;
  imageId: null;
  /** For people: why nothing was handed out and what happens next. */
  message: string;
  /** Active images (not yet yours) whose subject's consent does not allow annotation now. */
  blockedByConsent: number;
  /** Active images (not yet yours) that others are labelling now; they come back if a lease runs out. */
  inProgressByOthers: number;
};
export type TClaimResult = TClaimed | TQueueEmpty;

/** Candidates read per query inside the locked transaction; the first batch nearly always has one. */
const BATCH = 100;
/** Images locked at once per PostgreSQL claim (SKIP LOCKED): enough that one already full still leaves a choice. */
const PG_LOCK_BATCH = 3;
const MINUTE = 60_000;

/**
 * Hands the next image of a project to an annotator, or resumes the draft they already hold.
 *
 * On SQLite claims are serialised: the first statement is a write, so the transaction holds the single
 * writer lock from then on (and in-process transactions are serialised by the driver). On PostgreSQL
 * claims run side by side: each locks the images it considers FOR UPDATE SKIP LOCKED (so concurrent
 * claimers take different images instead of queueing behind one lock) and re-counts the chosen image's
 * slots in a fresh statement once it holds the lock. Inside the transaction, stale drafts are expired
 * (their image returns to the queue, their hands stay), then the oldest active image is chosen that the
 * person never had an annotation for and that has fewer slot-holding annotations than
 * `annotationsPerImage` (two for images marked for double annotation). Two people therefore never
 * receive the same slot, and nobody receives the same image twice (the unique (imageId, annotatorId)
 * index backs this up).
 *
 * Consent is decided by lib/server/consent/consent-facts.ts before the transaction (it reads through
 * its own connection, and on PostgreSQL waiting for a second pooled connection while holding the lock
 * could starve the pool). That is safe because a withdrawal changes the image's state in its own
 * transaction, and the state is re-checked under the lock.
 */
export async function claimNextImage(
  projectId: string,
  userId: string,
  now = new Date(),
  random: () => number = Math.random,
): Promise<TClaimResult> {
  const project = await db.project.findUnique({
    where: { id: projectId },
    select: { annotationsPerImage: true, leaseMinutes: true, archivedAt: true, goldRate: true },
  });
  if (!project) throw new AppError("not_found", "No such project");
  if (project.archivedAt) throw new AppError("conflict", "This project is archived; it hands out no more images");
  const k = Math.max(1, project.annotationsPerImage);

  // Consent of every subject with active images in the project: subjects are far fewer than images.
  const imagesBySubject = await db.image.groupBy({
    by: ["subjectId"],
    where: { projectId, state: "active" },
    _count: { _all: true },
  });
  const decisions = await consentDecisions(
    imagesBySubject.map((group) => group.subjectId),
    "annotation",
    now,
  );
  const allowed = (subjectId: string) => decisions.get(subjectId)?.allowed === true;
  // Projects that steer towards their coverage targets hand out images that fill open targets first.
  const priority = await coverageQueueOrder(projectId);

  const postgres = databaseTarget().provider === "postgresql";
  const outcome = await db.$transaction(
    async (tx) => {
      const expired = postgres
        ? await expireStaleDraftsSkipLocked(tx, projectId, now)
        : await expireStaleDrafts(tx, projectId, now);

      const held = await tx.annotation.findFirst({
        where: {
          annotatorId: userId,
          status: "draft",
          leaseExpiresAt: { gt: now },
          image: { projectId, state: "active" },
        },
        orderBy: { updatedAt: "desc" },
        select: { id: true, imageId: true, leaseExpiresAt: true, image: { select: { subjectId: true } } },
      });
      if (held && allowed(held.image.subjectId)) {
        return {
          annotationId: held.id,
          imageId: held.imageId,
          leaseExpiresAt: held.leaseExpiresAt!,
          resumed: true,
        } satisfies TClaimed;
      }

      // Work a manager assigned to this person comes first.
      const assigned = await pickAssignedImage(tx, projectId, userId, k, allowed);
      // Gold images are mixed in at the project's rate and look like any other claim.
      const gold =
        !assigned && project.goldRate > 0 && random() < project.goldRate
          ? await pickGoldImage(tx, projectId, userId, allowed)
          : null;
      const imageId =
        assigned ??
        gold ??
        (postgres
          ? await pickImageSkipLocked(
              tx,
              projectId,
              userId,
              k,
              [...decisions].filter(([, decision]) => decision.allowed).map(([subjectId]) => subjectId),
              priority,
            )
          : await pickImage(tx, projectId, userId, k, allowed, priority));
      if (!imageId) return null;
      const leaseExpiresAt = new Date(now.getTime() + project.leaseMinutes * MINUTE);
      // Imported pre-annotations become the starting labels of every new claim of the image.
      const pre = await tx.image.findUniqueOrThrow({ where: { id: imageId }, select: { preAnnotation: true } });
      const proposal = imagePreAnnotationColumn.read(pre.preAnnotation);
      const preHands = proposal?.hands ?? [];
      const annotation = await tx.annotation.create({
        data: {
          imageId,
          annotatorId: userId,
          status: "draft",
          imageFlags: [],
          qualityFlags: [],
          leaseExpiresAt,
          ...(proposal && preHands.length
            ? {
                source: proposal.source,
                ...(proposal.prediction !== undefined
                  ? { modelPrediction: proposal.prediction as Prisma.InputJsonValue }
                  : {}),
                hands: { create: handRows("", preHands, []).map(({ annotationId: _unused, ...row }) => row) },
              }
            : {}),
        },
        select: { id: true },
      });
      await recordAuditEvent(
        {
          actorId: userId,
          projectId,
          action: "annotation.claimed",
          targetType: "annotation",
          targetId: annotation.id,
          details: { imageId, leaseExpiresAt: leaseExpiresAt.toISOString(), expiredDrafts: expired },
        },
        tx,
      );
      return { annotationId: annotation.id, imageId, leaseExpiresAt, resumed: false } satisfies TClaimed;
    },
    { maxWait: 20_000, timeout: 30_000 },
  );
  if (outcome) return outcome;
  return emptyQueue(projectId, userId, imagesBySubject, decisions);
}

/**
 * Drafts whose lease ran out (or was released by a consent withdrawal) become "expired": they stop
 * holding the image's slot, so it returns to the queue. Their hands are kept.
 */
async function expireStaleDrafts(tx: TTx, projectId: string, now: Date): Promise<number> {
  const { count } = await tx.annotation.updateMany({
    where: { status: "draft", OR: [{ leaseExpiresAt: { lt: now } }, { leaseExpiresAt: null }], image: { projectId } },
    data: { status: "expired", leaseExpiresAt: null },
  });
  return count;
}

/**
 * PostgreSQL: the same expiry, skipping drafts another claim is expiring right now (it will finish the job),
 * so claims never wait on each other here.
 */
async function expireStaleDraftsSkipLocked(tx: TTx, projectId: string, now: Date): Promise<number> {
  return tx.$executeRaw(Prisma.sql`
    UPDATE "Annotation" SET "status" = 'expired', "leaseExpiresAt" = NULL, "updatedAt" = ${now}
    WHERE "id" IN (
      SELECT a."id" FROM "Annotation" a JOIN "Image" i ON i."id" = a."imageId"
      WHERE i."projectId" = ${projectId} AND a."status" = 'draft' AND (a."leaseExpiresAt" < ${now} OR a."leaseExpiresAt" IS NULL)
      FOR UPDATE OF a SKIP LOCKED)`);
}

/** The SQL condition "this image has a free slot and this person never had it". */
const freeForPerson = (userId: string, k: number) => Prisma.sql`
  NOT EXISTS (SELECT 1 FROM "Annotation" mine WHERE mine."imageId" = i."id" AND mine."annotatorId" = ${userId})
  AND ${notReservedForOthers(userId)}
  AND (SELECT COUNT(*) FROM "Annotation" slot WHERE slot."imageId" = i."id" AND slot."status" IN (${Prisma.join([...SLOT_HOLDING_STATUSES])}))
      < CASE WHEN i."doubleAnnotate" THEN CAST(${Math.max(k, 2)} AS INTEGER) ELSE CAST(${k} AS INTEGER) END`;

/**
 * PostgreSQL: locks the oldest few free images that no concurrent claim holds (SKIP LOCKED), then re-checks
 * each in a new statement. The re-check matters: the locking statement's snapshot may predate a claim that
 * committed on that image just before our lock was granted, and only a later statement sees its annotation.
 * When every candidate is held by a concurrent claim, it waits for one rather than answer "empty".
 */
async function pickImageSkipLocked(
  tx: TTx,
  projectId: string,
  userId: string,
  k: number,
  allowedSubjects: string[],
  priority: Prisma.Sql = Prisma.empty,
): Promise<string | null> {
  if (!allowedSubjects.length) return null;
  const candidates = (skipLocked: boolean) =>
    tx.$queryRaw<{ id: string }[]>(Prisma.sql`
    SELECT i."id" FROM "Image" i
    WHERE i."projectId" = ${projectId} AND i."state" = 'active' AND i."subjectId" = ANY(${allowedSubjects}) AND ${freeForPerson(userId, k)}
    ORDER BY ${priority}i."createdAt" ASC, i."id" ASC
    LIMIT ${skipLocked ? PG_LOCK_BATCH : 1}
    FOR UPDATE OF i ${skipLocked ? Prisma.sql`SKIP LOCKED` : Prisma.empty}`);
  const stillFree = async (id: string) =>
    (
      await tx.$queryRaw<{ id: string }[]>(Prisma.sql`
    SELECT i."id" FROM "Image" i WHERE i."id" = ${id} AND i."state" = 'active' AND ${freeForPerson(userId, k)}`)
    ).length > 0;
  for (;;) {
    for (const { id } of await candidates(true)) if (await stillFree(id)) return id;
    // Every candidate is held by a concurrent claim (or filled up): wait for the oldest one's claim to end.
    // Each round's new statement sees the claims committed meanwhile, so the loop ends.
    const [waited] = await candidates(false);
    if (!waited) return null;
    if (await stillFree(waited.id)) return waited.id;
  }
}

/** The oldest active image with a free slot that this person never had, and whose subject consents. */
async function pickImage(
  tx: TTx,
  projectId: string,
  userId: string,
  k: number,
  allowed: (subjectId: string) => boolean,
  priority: Prisma.Sql = Prisma.empty,
): Promise<string | null> {
  for (let offset = 0; ; offset += BATCH) {
    const rows = await tx.$queryRaw<{ id: string; subjectId: string }[]>(Prisma.sql`
      SELECT i."id", i."subjectId" FROM "Image" i
      WHERE i."projectId" = ${projectId} AND i."state" = 'active'
        AND NOT EXISTS (SELECT 1 FROM "Annotation" mine WHERE mine."imageId" = i."id" AND mine."annotatorId" = ${userId})
        AND ${notReservedForOthers(userId)}
        AND (SELECT COUNT(*) FROM "Annotation" slot WHERE slot."imageId" = i."id" AND slot."status" IN (${Prisma.join([...SLOT_HOLDING_STATUSES])}))
            < CASE WHEN i."doubleAnnotate" THEN CAST(${Math.max(k, 2)} AS INTEGER) ELSE CAST(${k} AS INTEGER) END
      ORDER BY ${priority}i."createdAt" ASC, i."id" ASC
      LIMIT ${BATCH} OFFSET ${offset}`);
    const image = rows.find((row) => allowed(row.subjectId));
    if (image) return image.id;
    if (rows.length < BATCH) return null;
  }
}

/** An active gold image (one with an annotation marked gold) that this person never labelled. */
async function pickGoldImage(
  tx: TTx,
  projectId: string,
  userId: string,
  allowed: (subjectId: string) => boolean,
): Promise<string | null> {
  const candidates = await tx.image.findMany({
    where: {
      projectId,
      state: "active",
      OR: [{ assignedToId: null }, { assignedToId: userId }],
      annotations: { some: { isGold: true }, none: { annotatorId: userId } },
    },
    select: { id: true, subjectId: true },
    take: 200,
  });
  const usable = candidates.filter((image) => allowed(image.subjectId));
  return usable.length ? usable[Math.floor(Math.random() * usable.length)].id : null;
}

async function emptyQueue(
  projectId: string,
  userId: string,
  imagesBySubject: { subjectId: string; _count: { _all: number } }[],
  decisions: Map<string, TConsentDecision>,
): Promise<TQueueEmpty> {
  const blockedSubjects = imagesBySubject
    .filter((group) => decisions.get(group.subjectId)?.allowed !== true)
    .map((group) => group.subjectId);
  const [blockedByConsent, inProgressByOthers] = await Promise.all([
    blockedSubjects.length === 0
      ? 0
      : db.image.count({
          where: {
            projectId,
            state: "active",
            subjectId: { in: blockedSubjects },
            annotations: { none: { annotatorId: userId } },
          },
        }),
    db.image.count({
      where: { projectId, state: "active", annotations: { none: { annotatorId: userId }, some: { status: "draft" } } },
    }),
  ]);
  const parts = ["No image is waiting for you in this project right now."];
  if (inProgressByOthers)
    parts.push(
      `${inProgressByOthers} ${inProgressByOthers === 1 ? "image is" : "images are"} being labelled by others and come back if a claim expires.`,
    );
  if (blockedByConsent)
    parts.push(
      `${blockedByConsent} ${blockedByConsent === 1 ? "image waits" : "images wait"} for consent that allows annotation.`,
    );
  return { annotationId: null, imageId: null, message: parts.join(" "), blockedByConsent, inProgressByOthers };
}
