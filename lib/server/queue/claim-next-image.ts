import "server-only";
import { imagePreAnnotationColumn } from "@/lib/server/db/json-columns";
import { handRows } from "@/lib/server/annotations/read-annotation-doc";
import { SLOT_HOLDING_STATUSES } from "@/lib/annotate/status";
import { AppError } from "@/lib/errors/app-error";
import { db } from "@/lib/server/db";
import { Prisma } from "@/lib/server/db/generated/sqlite/client";
import { databaseTarget } from "@/lib/env";
import type { TTx } from "@/lib/server/audit/record-audit-event";
import { consentDecisionsFromRows, RAW_CONSENT_COLUMNS, type TRawConsentRow } from "@/lib/server/consent/consent-facts";
import type { TConsentDecision } from "@/lib/consent/rules";
import { newId } from "@/lib/server/db/new-id";
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

/** Images locked at once per PostgreSQL claim (SKIP LOCKED): enough that one already full still leaves a choice. */
const PG_LOCK_BATCH = 3;
const MINUTE = 60_000;

type TPicked = { annotationId: string; imageId: string; preAnnotation: unknown };

/**
 * Hands the next image of a project to an annotator, or resumes the draft they already hold.
 *
 * Few round trips (bench/claim.ts, BENCH_TRACE=1 lists them): the project's settings and its consent
 * decisions are read side by side before the transaction (consent as lib/consent/rules.ts decides it, passed
 * into the SQL as the list of subjects whose images may be labelled), then each database picks, checks and
 * inserts in as few statements as it allows.
 *
 * On SQLite claims are serialised: the first statement is a write, so the transaction holds the single
 * writer lock from then on (and in-process transactions are serialised by the driver); one INSERT … SELECT
 * then picks the image and creates the draft. On PostgreSQL claims run side by side: one statement expires
 * stale drafts, finds a draft the person holds and locks the few best candidate images FOR UPDATE SKIP
 * LOCKED (so concurrent claimers take different images instead of queueing behind one lock); a second
 * statement re-checks the candidates' slots (a new statement sees claims committed just before our lock was
 * granted, which the first one's snapshot may not) and inserts the draft and its audit event. The rules,
 * in SQL on both: the oldest active image (images that fill open coverage targets first, when the project
 * steers) that the person never had an annotation for, whose subject consents, with fewer slot-holding
 * annotations than `annotationsPerImage` (two for images marked for double annotation); drafts whose lease
 * ran out hold no slot (they are expired in the same transaction; their hands stay). Two people therefore
 * never receive the same slot, and nobody receives the same image twice (the unique (imageId, annotatorId)
 * index backs this up). Gold images are mixed in at the project's rate.
 *
 * Consent is read outside the transaction, through its own connection: on PostgreSQL waiting for a second
 * pooled connection while holding locks could starve the pool. That is safe because a withdrawal changes
 * the image's state in its own transaction, and the state is re-checked under the lock.
 */
export async function claimNextImage(
  projectId: string,
  userId: string,
  now = new Date(),
  random: () => number = Math.random,
): Promise<TClaimResult> {
  const { project, decisions } = await readClaimFacts(projectId, now);
  if (!project) throw new AppError("not_found", "No such project");
  if (project.archivedAt) throw new AppError("conflict", "This project is archived; it hands out no more images");
  const k = Math.max(1, project.annotationsPerImage);
  const allowedSubjects = [...decisions].filter(([, decision]) => decision.allowed).map(([subjectId]) => subjectId);
  const allowed = (subjectId: string) => decisions.get(subjectId)?.allowed === true;
  // Projects that steer towards their coverage targets hand out images that fill open targets first.
  const priority = await coverageQueueOrder(projectId, project.queueCoverageFirst);
  const wantsGold = project.goldRate > 0 && random() < project.goldRate;
  const leaseExpiresAt = new Date(now.getTime() + project.leaseMinutes * MINUTE);
  const rules: TRules = { projectId, userId, k, now, allowedSubjects, priority };

  const postgres = databaseTarget().provider === "postgresql";
  const outcome = await db.$transaction(
    async (tx): Promise<TClaimed | null> => {
      const first = postgres ? await expireHeldAndLockPostgres(tx, rules) : await expireAndHeldSqlite(tx, rules);
      if (first.held && allowed(first.held.subjectId)) {
        return {
          annotationId: first.held.id,
          imageId: first.held.imageId,
          leaseExpiresAt: new Date(first.held.leaseExpiresAt),
          resumed: true,
        };
      }
      const claim: TNewClaim = { leaseExpiresAt, expired: first.expired };
      // Work a manager assigned to this person comes first.
      const assigned = await pickAssignedImage(tx, projectId, userId, k, allowed);
      // Gold images are mixed in at the project's rate and look like any other claim.
      const gold = !assigned && wantsGold ? await pickGoldImage(tx, projectId, userId, allowed) : null;
      const picked = assigned
        ? await insertClaim(tx, rules, claim, { ids: [assigned], gold: false, postgres })
        : gold
          ? await insertClaim(tx, rules, claim, { ids: [gold], gold: true, postgres })
          : postgres
            ? await pickAndInsertPostgres(tx, rules, claim, first.candidates)
            : await insertClaim(tx, rules, claim, { ids: null, gold: false, postgres });
      if (!picked) return null;
      if (!postgres) await recordClaimAudit(tx, rules, claim, picked);
      await applyPreAnnotation(tx, picked);
      return { annotationId: picked.annotationId, imageId: picked.imageId, leaseExpiresAt, resumed: false };
    },
    { maxWait: 20_000, timeout: 30_000 },
  );
  if (outcome) return outcome;
  return emptyQueue(projectId, userId, allowedSubjects);
}

/**
 * One statement: the project's queue settings and every consent record of its subjects, decided by
 * lib/consent/rules.ts (subjects without a record are absent, which means "not allowed").
 */
async function readClaimFacts(projectId: string, now: Date) {
  const rows = await db.$queryRaw<
    (Partial<TRawConsentRow> & {
      annotationsPerImage: number | bigint;
      leaseMinutes: number | bigint;
      goldRate: number;
      queueCoverageFirst: unknown;
      archivedAt: unknown;
    })[]
  >(Prisma.sql`
    SELECT p."annotationsPerImage", p."leaseMinutes", p."goldRate", p."queueCoverageFirst", p."archivedAt",
           ${Prisma.raw(RAW_CONSENT_COLUMNS("c"))}
    FROM "Project" p
    LEFT JOIN "Subject" s ON s."projectId" = p."id"
    LEFT JOIN "ConsentRecord" c ON c."subjectId" = s."id"
    WHERE p."id" = ${projectId}`);
  if (rows.length === 0) return { project: null, decisions: new Map<string, TConsentDecision>() };
  const [first] = rows;
  const project = {
    annotationsPerImage: Number(first.annotationsPerImage),
    leaseMinutes: Number(first.leaseMinutes),
    goldRate: Number(first.goldRate),
    queueCoverageFirst: Boolean(first.queueCoverageFirst),
    archivedAt: first.archivedAt == null ? null : new Date(first.archivedAt as string),
  };
  const records = rows.filter((row): row is typeof row & TRawConsentRow => row.id != null);
  return { project, decisions: consentDecisionsFromRows(records, "annotation", now) };
}

type TRules = {
  projectId: string;
  userId: string;
  k: number;
  now: Date;
  allowedSubjects: string[];
  priority: Prisma.Sql;
};
type TNewClaim = { leaseExpiresAt: Date; expired: number };
type THeld = { id: string; imageId: string; leaseExpiresAt: Date | string; subjectId: string };

/** SQL: drafts whose lease ran out (or was released by a consent withdrawal), which hold no slot any more. */
const staleDraft = (alias: string, now: Date) =>
  Prisma.sql`${Prisma.raw(alias)}."status" = 'draft' AND (${Prisma.raw(alias)}."leaseExpiresAt" < ${now} OR ${Prisma.raw(alias)}."leaseExpiresAt" IS NULL)`;

/** SQL: the person's newest live draft in the project (an active image), if any. */
const heldDraft = ({ projectId, userId, now }: TRules) => Prisma.sql`
  SELECT a."id", a."imageId", a."leaseExpiresAt", i."subjectId" FROM "Annotation" a JOIN "Image" i ON i."id" = a."imageId"
  WHERE a."annotatorId" = ${userId} AND a."status" = 'draft' AND a."leaseExpiresAt" > ${now}
    AND i."projectId" = ${projectId} AND i."state" = 'active'
  ORDER BY a."updatedAt" DESC LIMIT 1`;

/**
 * SQL: "this image has a free slot and this person never had it". A stale draft holds no slot: the same
 * transaction expires it (on PostgreSQL perhaps a concurrent claim does, or the statement's snapshot predates it).
 */
const freeForPerson = ({ userId, k, now }: TRules) => Prisma.sql`
  NOT EXISTS (SELECT 1 FROM "Annotation" mine WHERE mine."imageId" = i."id" AND mine."annotatorId" = ${userId})
  AND ${notReservedForOthers(userId)}
  AND (SELECT COUNT(*) FROM "Annotation" slot WHERE slot."imageId" = i."id" AND slot."status" IN (${Prisma.join([...SLOT_HOLDING_STATUSES])})
       AND NOT (${staleDraft("slot", now)}))
      < CASE WHEN i."doubleAnnotate" THEN CAST(${Math.max(k, 2)} AS INTEGER) ELSE CAST(${k} AS INTEGER) END`;

/** SQL: the image's subject may be labelled now (decided by lib/consent/rules.ts before the transaction). */
const consenting = (allowedSubjects: string[], postgres: boolean, alias = "i") =>
  allowedSubjects.length === 0
    ? Prisma.sql`1 = 0`
    : postgres
      ? Prisma.sql`${Prisma.raw(alias)}."subjectId" = ANY(${allowedSubjects})`
      : Prisma.sql`${Prisma.raw(alias)}."subjectId" IN (${Prisma.join(allowedSubjects)})`;

/** SQL: the images this person may be handed now, best first. */
const queueOrder = (priority: Prisma.Sql) => Prisma.sql`ORDER BY ${priority}i."createdAt" ASC, i."id" ASC`;

/** SQLite: expire stale drafts (the write that takes the writer lock), then the person's live draft. */
async function expireAndHeldSqlite(tx: TTx, rules: TRules) {
  const count = await tx.$executeRaw(Prisma.sql`
    UPDATE "Annotation" SET "status" = 'expired', "leaseExpiresAt" = NULL, "updatedAt" = ${new Date()}
    WHERE "imageId" IN (SELECT i."id" FROM "Image" i WHERE i."projectId" = ${rules.projectId})
      AND ${staleDraft('"Annotation"', rules.now)}`);
  const [held] = await tx.$queryRaw<THeld[]>(heldDraft(rules));
  return { expired: count, held: held ?? null, candidates: [] as string[] };
}

/**
 * PostgreSQL, one statement: expire stale drafts (skipping those a concurrent claim is expiring right now),
 * find the person's live draft, and — when there is none — lock the best few candidate images that no
 * concurrent claim holds (FOR UPDATE SKIP LOCKED).
 */
async function expireHeldAndLockPostgres(tx: TTx, rules: TRules) {
  const { projectId, now } = rules;
  const [row] = await tx.$queryRaw<{ expired: number; held: THeld | null; candidates: string[] }[]>(Prisma.sql`
    WITH expired AS (
      UPDATE "Annotation" SET "status" = 'expired', "leaseExpiresAt" = NULL, "updatedAt" = ${now}
      WHERE "id" IN (
        SELECT a."id" FROM "Annotation" a JOIN "Image" i ON i."id" = a."imageId"
        WHERE i."projectId" = ${projectId} AND ${staleDraft("a", now)}
        FOR UPDATE OF a SKIP LOCKED)
      RETURNING 1),
    held AS (${heldDraft(rules)}),
    candidates AS (
      SELECT i."id" FROM "Image" i
      WHERE NOT EXISTS (SELECT 1 FROM held WHERE ${consenting(rules.allowedSubjects, true, "held")}) AND i."projectId" = ${projectId} AND i."state" = 'active'
        AND ${consenting(rules.allowedSubjects, true)} AND ${freeForPerson(rules)}
      ${queueOrder(rules.priority)}
      LIMIT ${PG_LOCK_BATCH}
      FOR UPDATE OF i SKIP LOCKED)
    SELECT (SELECT CAST(COUNT(*) AS INTEGER) FROM expired) AS "expired",
           (SELECT row_to_json(held) FROM held) AS "held",
           ARRAY(SELECT "id" FROM candidates) AS "candidates"`);
  return row;
}

/**
 * PostgreSQL: claims the first of the locked candidates that is still free. When every candidate is held by
 * a concurrent claim (or filled up meanwhile), waits for the best one's lock rather than answer "empty"; each
 * round's new statement sees the claims committed meanwhile, so the loop ends.
 */
async function pickAndInsertPostgres(tx: TTx, rules: TRules, claim: TNewClaim, locked: string[]) {
  let ids = locked;
  for (;;) {
    if (ids.length === 0) {
      const [waited] = await tx.$queryRaw<{ id: string }[]>(Prisma.sql`
        SELECT i."id" FROM "Image" i
        WHERE i."projectId" = ${rules.projectId} AND i."state" = 'active'
          AND ${consenting(rules.allowedSubjects, true)} AND ${freeForPerson(rules)}
        ${queueOrder(rules.priority)} LIMIT 1 FOR UPDATE OF i`);
      if (!waited) return null;
      ids = [waited.id];
    }
    const picked = await insertClaim(tx, rules, claim, { ids, gold: false, postgres: true });
    if (picked) return picked;
    ids = (
      await tx.$queryRaw<{ id: string }[]>(Prisma.sql`
        SELECT i."id" FROM "Image" i
        WHERE i."projectId" = ${rules.projectId} AND i."state" = 'active'
          AND ${consenting(rules.allowedSubjects, true)} AND ${freeForPerson(rules)}
        ${queueOrder(rules.priority)} LIMIT ${PG_LOCK_BATCH} FOR UPDATE OF i SKIP LOCKED`)
    ).map((row) => row.id);
  }
}

/**
 * One statement that picks the image and inserts the draft. `ids`: the candidates to choose from in this
 * order (PostgreSQL's locked candidates, or a gold image), else (SQLite) the whole queue. Gold images skip the
 * slot count (they are labelled by everyone once). On PostgreSQL the audit event is inserted by the same
 * statement.
 */
async function insertClaim(
  tx: TTx,
  rules: TRules,
  claim: TNewClaim,
  pick: { ids: string[] | null; gold: boolean; postgres: boolean },
): Promise<TPicked | null> {
  const { projectId, userId } = rules;
  const annotationId = newId();
  const at = new Date();
  const free = pick.gold ? Prisma.sql`1 = 1` : freeForPerson(rules);
  const emptyList = pick.postgres ? Prisma.sql`CAST('[]' AS JSONB)` : Prisma.sql`'[]'`;
  const columns = Prisma.sql`("id", "imageId", "annotatorId", "status", "imageFlags", "qualityFlags", "leaseExpiresAt", "createdAt", "updatedAt")`;
  const values = Prisma.sql`${annotationId}, i."id", ${userId}, 'draft', ${emptyList}, ${emptyList}, ${claim.leaseExpiresAt}, ${at}, ${at}`;
  if (!pick.postgres) {
    const where = pick.ids
      ? Prisma.sql`i."id" IN (${Prisma.join(pick.ids)})`
      : Prisma.sql`i."projectId" = ${projectId} AND ${consenting(rules.allowedSubjects, false)}`;
    const [row] = await tx.$queryRaw<{ imageId: string }[]>(Prisma.sql`
      INSERT INTO "Annotation" ${columns}
      SELECT ${values} FROM "Image" i
      WHERE ${where} AND i."state" = 'active' AND ${free}
      ${queueOrder(rules.priority)} LIMIT 1
      RETURNING "imageId"`);
    if (!row) return null;
    const [image] = await tx.$queryRaw<{ preAnnotation: unknown }[]>(
      Prisma.sql`SELECT "preAnnotation" FROM "Image" WHERE "id" = ${row.imageId}`,
    );
    return { annotationId, imageId: row.imageId, preAnnotation: image?.preAnnotation ?? null };
  }
  const details = Prisma.sql`jsonb_build_object('imageId', ins."imageId", 'leaseExpiresAt', CAST(${claim.leaseExpiresAt.toISOString()} AS TEXT), 'expiredDrafts', CAST(${claim.expired} AS INTEGER))`;
  const [row] = await tx.$queryRaw<{ imageId: string; preAnnotation: unknown }[]>(Prisma.sql`
    WITH chosen AS (
      SELECT i."id", i."preAnnotation" FROM "Image" i
      WHERE i."id" = ANY(${pick.ids!}) AND i."state" = 'active' AND ${free}
      ORDER BY array_position(CAST(${pick.ids!} AS TEXT[]), i."id") LIMIT 1),
    ins AS (
      INSERT INTO "Annotation" ${columns}
      SELECT ${values} FROM chosen i
      RETURNING "id", "imageId"),
    audit AS (
      INSERT INTO "AuditEvent" ("id", "at", "actorId", "projectId", "action", "targetType", "targetId", "details")
      SELECT ${newId()}, ${at}, ${userId}, ${projectId}, 'annotation.claimed', 'annotation', ins."id", ${details} FROM ins)
    SELECT ins."imageId", chosen."preAnnotation" FROM ins JOIN chosen ON chosen."id" = ins."imageId"`);
  return row ? { annotationId, imageId: row.imageId, preAnnotation: row.preAnnotation } : null;
}

/** SQLite: the claim's audit event (PostgreSQL inserts it with the draft, in one statement). */
async function recordClaimAudit(tx: TTx, rules: TRules, claim: TNewClaim, picked: TPicked) {
  const details = {
    imageId: picked.imageId,
    leaseExpiresAt: claim.leaseExpiresAt.toISOString(),
    expiredDrafts: claim.expired,
  };
  await tx.$executeRaw(Prisma.sql`
    INSERT INTO "AuditEvent" ("id", "at", "actorId", "projectId", "action", "targetType", "targetId", "details")
    VALUES (${newId()}, ${new Date()}, ${rules.userId}, ${rules.projectId}, 'annotation.claimed', 'annotation',
            ${picked.annotationId}, ${JSON.stringify(details)})`);
}

/** Imported pre-annotations become the starting labels of every new claim of the image. */
async function applyPreAnnotation(tx: TTx, picked: TPicked) {
  const raw = typeof picked.preAnnotation === "string" ? JSON.parse(picked.preAnnotation) : picked.preAnnotation;
  const proposal = raw == null ? null : imagePreAnnotationColumn.read(raw);
  const preHands = proposal?.hands ?? [];
  if (!proposal || preHands.length === 0) return;
  await tx.annotation.update({
    where: { id: picked.annotationId },
    data: {
      source: proposal.source,
      ...(proposal.prediction !== undefined ? { modelPrediction: proposal.prediction as Prisma.InputJsonValue } : {}),
      hands: { create: handRows("", preHands, []).map(({ annotationId: _unused, ...row }) => row) },
    },
    select: { id: true },
  });
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

async function emptyQueue(projectId: string, userId: string, allowedSubjects: string[]): Promise<TQueueEmpty> {
  const [blockedByConsent, inProgressByOthers] = await Promise.all([
    db.image.count({
      where: {
        projectId,
        state: "active",
        subjectId: { notIn: allowedSubjects },
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
