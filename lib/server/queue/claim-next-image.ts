import "server-only";
import { imagePreAnnotationColumn } from "@/lib/server/db/json-columns";
import { handRows } from "@/lib/server/annotations/read-annotation-doc";
import { AppError } from "@/lib/errors/app-error";
import { db } from "@/lib/server/db";
import { rawPostgresQuery } from "@/lib/server/db/open";
import { Prisma } from "@/lib/server/db/generated/sqlite/client";
import { databaseTarget } from "@/lib/env";
import type { TTx } from "@/lib/server/audit/record-audit-event";
import { consentDecisionsFromRows, RAW_CONSENT_COLUMNS, type TRawConsentRow } from "@/lib/server/consent/consent-facts";
import type { TConsentDecision } from "@/lib/consent/rules";
import { newId } from "@/lib/server/db/new-id";
import { sharedFreshRead } from "@/lib/concurrency/shared-fresh-read";
import { subjectsFillingOpenTargets } from "@/lib/server/coverage/queue-priority";
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
 * The rules, on both databases: the person's live draft first; then work a manager assigned to them; then, at
 * the project's gold rate, a gold image; else the oldest active image (images that fill open coverage targets
 * first, when the project steers) that the person never had an annotation for, whose subject consents (as
 * lib/consent/rules.ts decides, read before the claim and passed in as the list of allowed subjects), with a free
 * slot. Free slots are stored on the image (Image.heldSlots < Image.slotCap, kept by database triggers as
 * annotations are written: migration 20261129154115_wave4_claims_scale_export_shards), so the queue is one partial index read in
 * order, whatever the backlog. Drafts whose lease ran out hold no slot: they are expired before the search.
 * Two people therefore never receive the same slot, and nobody receives the same image twice (the unique
 * (imageId, annotatorId) index backs this up).
 *
 * PostgreSQL, the usual claim (no gold draw, no imported pre-annotation): two statements sent straight through
 * the pg pool (Prisma's CPU per query was the limit, bench/claim.ts). The first, shared by the project's claims
 * that arrive together (sharedClaimFacts), expires stale drafts and reads the project's settings and consent; the second, autocommitted, finds the held draft or locks the best image
 * FOR UPDATE SKIP LOCKED (concurrent claimers take different images instead of queueing behind one lock),
 * inserts the draft and its audit event. Its insert moves the image's heldSlots (trigger), so a claimer that
 * locks that image afterwards re-checks the free slot on the new row version and passes on when it is full.
 * Gold draws, pre-annotated images and a person racing themself (two tabs) take the transaction below.
 *
 * The transaction (SQLite always; PostgreSQL for the cases above): on SQLite the first statement is a write,
 * so it holds the single writer lock from then on; on PostgreSQL it locks candidates FOR UPDATE SKIP LOCKED
 * and re-checks them in a new statement, which sees claims committed just before the lock was granted.
 */
export async function claimNextImage(
  projectId: string,
  userId: string,
  /** The claim's time; by default the present, when concurrent PostgreSQL claims share the read of its facts. */
  at?: Date,
  random: () => number = Math.random,
): Promise<TClaimResult> {
  const postgres = databaseTarget().provider === "postgresql";
  const facts =
    postgres && !at ? await sharedClaimFacts(projectId) : await readClaimFacts(projectId, at ?? new Date(), postgres);
  const { project, decisions, now } = facts;
  // The drafts a read expired are reported (in the claim's audit event) by the first claim that used it.
  const expired = facts.expired.count;
  facts.expired.count = 0;
  if (!project) throw new AppError("not_found", "No such project");
  if (project.archivedAt) throw new AppError("conflict", "This project is archived; it hands out no more images");
  const k = Math.max(1, project.annotationsPerImage);
  const allowedSubjects = [...decisions].filter(([, decision]) => decision.allowed).map(([subjectId]) => subjectId);
  const allowed = (subjectId: string) => decisions.get(subjectId)?.allowed === true;
  // Projects that steer towards their coverage targets hand out images that fill open targets first.
  const preferredSubjects = project.queueCoverageFirst ? await subjectsFillingOpenTargets(projectId) : [];
  const wantsGold = project.goldRate > 0 && random() < project.goldRate;
  const leaseExpiresAt = new Date(now.getTime() + project.leaseMinutes * MINUTE);
  const rules: TRules = { projectId, userId, k, now, allowedSubjects, preferredSubjects };
  const claim: TNewClaim = { leaseExpiresAt, expired };

  if (postgres && !wantsGold) {
    const fast = await claimInOneStatement(rules, claim);
    if (fast === "empty") return emptyQueue(projectId, userId, allowedSubjects);
    if (fast !== "transaction") return fast;
  }
  const outcome = await db.$transaction(
    async (tx): Promise<TClaimed | null> => {
      const first = postgres ? await heldAndLockPostgres(tx, rules) : await expireAndHeldSqlite(tx, rules);
      if (first.held && allowed(first.held.subjectId)) {
        return {
          annotationId: first.held.id,
          imageId: first.held.imageId,
          leaseExpiresAt: new Date(first.held.leaseExpiresAt),
          resumed: true,
        };
      }
      claim.expired += first.expired;
      // Work a manager assigned to this person comes first.
      const assigned = await pickAssignedImage(tx, projectId, userId, allowedSubjects);
      // Gold images are mixed in at the project's rate and look like any other claim.
      const gold = !assigned && wantsGold ? await pickGoldImage(tx, projectId, userId, allowedSubjects) : null;
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

type TFactsRow = Partial<TRawConsentRow> & {
  annotationsPerImage: number | bigint;
  leaseMinutes: number | bigint;
  goldRate: number;
  queueCoverageFirst: unknown;
  archivedAt: unknown;
  expired?: number;
};

/**
 * PostgreSQL at the present time: the claims of a project that arrive together share one read of its facts
 * (and one expiry of its stale drafts), started after each of them arrived, so none misses a consent withdrawal
 * committed before it. At 50 concurrent claimers this halves the statements per claim (bench/claim.ts).
 */
const sharedClaimFacts = sharedFreshRead((projectId: string) => readClaimFacts(projectId, new Date(), true));

/**
 * One statement: the project's queue settings and every consent record of its subjects, decided by
 * lib/consent/rules.ts (subjects without a record are absent, which means "not allowed"). On PostgreSQL the
 * same statement first expires the project's stale drafts (skipping those a concurrent claim is expiring right
 * now), and it commits before the claim looks for a free slot, so the claim sees their slots free again.
 * The statement runs with a generic plan (lib/server/db/open.ts), often first planned while "Annotation" is
 * nearly empty: so the stale drafts are listed once (MATERIALIZED) and updated by id, a shape no plan can turn
 * into a sequential scan per annotation (`IN (…)` was planned as one: 0.8 s per claim after 2,000 claims).
 */
async function readClaimFacts(projectId: string, now: Date, postgres: boolean) {
  const facts = Prisma.sql`
    SELECT p."annotationsPerImage", p."leaseMinutes", p."goldRate", p."queueCoverageFirst", p."archivedAt",
           ${Prisma.raw(RAW_CONSENT_COLUMNS("c"))}
    FROM "Project" p
    LEFT JOIN "Subject" s ON s."projectId" = p."id"
    LEFT JOIN "ConsentRecord" c ON c."subjectId" = s."id"
    WHERE p."id" = ${projectId}`;
  const rows = postgres
    ? (await rawPostgresQuery<TFactsRow>(
        db,
        Prisma.sql`
          WITH stale AS MATERIALIZED (
            SELECT a."id" FROM "Annotation" a
            WHERE ${staleDraft("a", now)}
              AND EXISTS (SELECT 1 FROM "Image" i WHERE i."id" = a."imageId" AND i."projectId" = ${projectId})
            FOR UPDATE OF a SKIP LOCKED),
          expired AS (
            UPDATE "Annotation" SET "status" = 'expired', "leaseExpiresAt" = NULL, "updatedAt" = ${now}
            WHERE "id" = ANY(ARRAY(SELECT "id" FROM stale))
            RETURNING 1),
          facts AS (${facts})
          SELECT facts.*, (SELECT CAST(COUNT(*) AS INTEGER) FROM expired) AS "expired" FROM facts`,
      ))!
    : await db.$queryRaw<TFactsRow[]>(facts);
  if (rows.length === 0)
    return { project: null, decisions: new Map<string, TConsentDecision>(), expired: { count: 0 }, now };
  const [first] = rows;
  const project = {
    annotationsPerImage: Number(first.annotationsPerImage),
    leaseMinutes: Number(first.leaseMinutes),
    goldRate: Number(first.goldRate),
    queueCoverageFirst: Boolean(first.queueCoverageFirst),
    archivedAt: first.archivedAt == null ? null : new Date(first.archivedAt as string),
  };
  const records = rows.filter((row): row is typeof row & TRawConsentRow => row.id != null);
  return {
    project,
    decisions: consentDecisionsFromRows(records, "annotation", now),
    expired: { count: first.expired ?? 0 },
    now,
  };
}

type TRules = {
  projectId: string;
  userId: string;
  k: number;
  now: Date;
  allowedSubjects: string[];
  /** Subjects whose images fill open coverage targets: handed out first (empty unless the project steers). */
  preferredSubjects: string[];
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
 * SQL ("i" an active image of the project): it has a free slot and this person never had it. The first term is
 * the predicate of the queue's partial index (Image_queue_idx). `LIMIT 1 OFFSET 0` keeps PostgreSQL from turning
 * the NOT EXISTS into an anti join over all of the person's annotations (EXPLAIN: a materialised scan per claim,
 * growing with their history): it stays one probe of the (imageId, annotatorId) index per image read in order.
 */
const freeForPerson = ({ userId }: TRules) => Prisma.sql`
  i."state" = 'active' AND i."heldSlots" < i."slotCap"
  AND NOT EXISTS (SELECT 1 FROM "Annotation" mine WHERE mine."imageId" = i."id" AND mine."annotatorId" = ${userId} LIMIT 1 OFFSET 0)
  AND ${notReservedForOthers(userId)}`;

/** SQL: the image's subject may be labelled now (decided by lib/consent/rules.ts before the claim). */
const consenting = (allowedSubjects: string[], postgres: boolean, alias = "i") =>
  allowedSubjects.length === 0
    ? Prisma.sql`1 = 0`
    : postgres
      ? Prisma.sql`${Prisma.raw(alias)}."subjectId" = ANY(${allowedSubjects})`
      : Prisma.sql`${Prisma.raw(alias)}."subjectId" IN (${Prisma.join(allowedSubjects)})`;

/** SQL: the images this person may be handed now, best first. */
const queueOrder = ({ preferredSubjects }: TRules) =>
  preferredSubjects.length
    ? Prisma.sql`ORDER BY CASE WHEN i."subjectId" IN (${Prisma.join(preferredSubjects)}) THEN 0 ELSE 1 END, i."createdAt" ASC, i."id" ASC`
    : Prisma.sql`ORDER BY i."createdAt" ASC, i."id" ASC`;

/** The columns of a new draft and their values ("i" the image). */
const draftColumns = Prisma.sql`("id", "imageId", "annotatorId", "status", "imageFlags", "qualityFlags", "leaseExpiresAt", "createdAt", "updatedAt")`;
const draftValues = (annotationId: string, userId: string, claim: TNewClaim, at: Date, emptyList: Prisma.Sql) =>
  Prisma.sql`${annotationId}, i."id", ${userId}, 'draft', ${emptyList}, ${emptyList}, ${claim.leaseExpiresAt}, ${at}, ${at}`;
const claimAuditDetails = (claim: TNewClaim) =>
  Prisma.sql`jsonb_build_object('imageId', ins."imageId", 'leaseExpiresAt', CAST(${claim.leaseExpiresAt.toISOString()} AS TEXT), 'expiredDrafts', CAST(${claim.expired} AS INTEGER))`;

/**
 * PostgreSQL, one autocommitted statement through the pg pool: the person's live draft, else the oldest image
 * assigned to them, else the best queued image (images of preferred subjects first), each locked FOR UPDATE
 * SKIP LOCKED and checked for a free slot on the row as it is when locked; then the draft and its audit event.
 * "transaction" when the image found carries imported pre-annotations (their hands are written with the
 * draft, in the transaction), when the person's own concurrent claim took it first (the unique index), or when
 * nothing was found: every free image may be locked by concurrent claims that leave a slot (double annotation),
 * and the transaction waits for their locks rather than answer "empty".
 */
async function claimInOneStatement(rules: TRules, claim: TNewClaim): Promise<TClaimed | "empty" | "transaction"> {
  const { projectId, userId, now, allowedSubjects, preferredSubjects } = rules;
  if (allowedSubjects.length === 0) return "empty";
  const annotationId = newId();
  const at = new Date();
  const queued = (extra: Prisma.Sql) => Prisma.sql`
    SELECT i."id", i."preAnnotation" IS NOT NULL AS "preAnnotated" FROM "Image" i
    WHERE NOT EXISTS (SELECT 1 FROM held) AND i."projectId" = ${projectId} AND i."subjectId" = ANY(${allowedSubjects})
      AND ${freeForPerson(rules)} ${extra}
    ORDER BY i."createdAt" ASC, i."id" ASC LIMIT 1
    FOR UPDATE OF i SKIP LOCKED`;
  const [row] = (await rawPostgresQuery<{
    held: { id: string; imageId: string; leaseExpiresAt: string } | null;
    claimed: string | null;
  }>(
    db,
    Prisma.sql`
      WITH held AS (
        SELECT a."id", a."imageId", CAST(a."leaseExpiresAt" AS TEXT) AS "leaseExpiresAt"
        FROM "Annotation" a JOIN "Image" i ON i."id" = a."imageId"
        WHERE a."annotatorId" = ${userId} AND a."status" = 'draft' AND a."leaseExpiresAt" > ${now}
          AND i."projectId" = ${projectId} AND i."state" = 'active' AND i."subjectId" = ANY(${allowedSubjects})
        ORDER BY a."updatedAt" DESC LIMIT 1),
      assigned AS (${queued(Prisma.sql`AND i."assignedToId" = ${userId}`)}),
      preferred AS (${queued(
        preferredSubjects.length
          ? Prisma.sql`AND NOT EXISTS (SELECT 1 FROM assigned) AND i."subjectId" = ANY(${preferredSubjects})`
          : Prisma.sql`AND 1 = 0`,
      )}),
      rest AS (${queued(Prisma.sql`AND NOT EXISTS (SELECT 1 FROM assigned) AND NOT EXISTS (SELECT 1 FROM preferred)`)}),
      chosen AS (
        SELECT * FROM assigned UNION ALL SELECT * FROM preferred UNION ALL SELECT * FROM rest LIMIT 1),
      ins AS (
        INSERT INTO "Annotation" ${draftColumns}
        SELECT ${draftValues(annotationId, userId, claim, at, Prisma.sql`CAST('[]' AS JSONB)`)}
        FROM chosen i WHERE NOT i."preAnnotated"
        ON CONFLICT ("imageId", "annotatorId") DO NOTHING
        RETURNING "id", "imageId"),
      audit AS (
        INSERT INTO "AuditEvent" ("id", "at", "actorId", "projectId", "action", "targetType", "targetId", "details")
        SELECT ${newId()}, ${at}, ${userId}, ${projectId}, 'annotation.claimed', 'annotation', ins."id", ${claimAuditDetails(claim)}
        FROM ins)
      SELECT (SELECT row_to_json(held) FROM held) AS "held",
             (SELECT "imageId" FROM ins) AS "claimed"`,
  ))!;
  if (row.held)
    return {
      annotationId: row.held.id,
      imageId: row.held.imageId,
      leaseExpiresAt: new Date(`${row.held.leaseExpiresAt.replace(" ", "T")}Z`),
      resumed: true,
    };
  if (row.claimed) return { annotationId, imageId: row.claimed, leaseExpiresAt: claim.leaseExpiresAt, resumed: false };
  return "transaction";
}

/** SQLite: expire stale drafts (the write that takes the writer lock), then the person's live draft. */
async function expireAndHeldSqlite(tx: TTx, rules: TRules) {
  // CROSS JOIN makes SQLite read the drafts first (few) rather than every image of the project.
  const count = await tx.$executeRaw(Prisma.sql`
    UPDATE "Annotation" SET "status" = 'expired', "leaseExpiresAt" = NULL, "updatedAt" = ${new Date()}
    WHERE "id" IN (
      SELECT a."id" FROM "Annotation" a CROSS JOIN "Image" i
      WHERE i."id" = a."imageId" AND i."projectId" = ${rules.projectId} AND ${staleDraft("a", rules.now)})`);
  const [held] = await tx.$queryRaw<THeld[]>(heldDraft(rules));
  return { expired: count, held: held ?? null, candidates: [] as string[] };
}

/**
 * PostgreSQL, one statement (stale drafts were expired with the claim's facts): the person's live draft, and —
 * when there is none — the best few candidate images that no concurrent claim holds, locked FOR UPDATE SKIP LOCKED.
 */
async function heldAndLockPostgres(tx: TTx, rules: TRules) {
  const { projectId } = rules;
  const [row] = await tx.$queryRaw<{ held: THeld | null; candidates: string[] }[]>(Prisma.sql`
    WITH held AS (${heldDraft(rules)}),
    candidates AS (
      SELECT i."id" FROM "Image" i
      WHERE NOT EXISTS (SELECT 1 FROM held WHERE ${consenting(rules.allowedSubjects, true, "held")}) AND i."projectId" = ${projectId}
        AND ${consenting(rules.allowedSubjects, true)} AND ${freeForPerson(rules)}
      ${queueOrder(rules)}
      LIMIT ${PG_LOCK_BATCH}
      FOR UPDATE OF i SKIP LOCKED)
    SELECT (SELECT row_to_json(held) FROM held) AS "held",
           ARRAY(SELECT "id" FROM candidates) AS "candidates"`);
  return { ...row, expired: 0 };
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
        ${queueOrder(rules)} LIMIT 1 FOR UPDATE OF i`);
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
        ${queueOrder(rules)} LIMIT ${PG_LOCK_BATCH} FOR UPDATE OF i SKIP LOCKED`)
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
  const values = draftValues(annotationId, userId, claim, at, emptyList);
  if (!pick.postgres) {
    const where = pick.ids
      ? Prisma.sql`i."id" IN (${Prisma.join(pick.ids)})`
      : Prisma.sql`i."projectId" = ${projectId} AND ${consenting(rules.allowedSubjects, false)}`;
    const [row] = await tx.$queryRaw<{ imageId: string }[]>(Prisma.sql`
      INSERT INTO "Annotation" ${draftColumns}
      SELECT ${values} FROM "Image" i
      WHERE ${where} AND i."state" = 'active' AND ${free}
      ${queueOrder(rules)} LIMIT 1
      RETURNING "imageId"`);
    if (!row) return null;
    const [image] = await tx.$queryRaw<{ preAnnotation: unknown }[]>(
      Prisma.sql`SELECT "preAnnotation" FROM "Image" WHERE "id" = ${row.imageId}`,
    );
    return { annotationId, imageId: row.imageId, preAnnotation: image?.preAnnotation ?? null };
  }
  const [row] = await tx.$queryRaw<{ imageId: string; preAnnotation: unknown }[]>(Prisma.sql`
    WITH chosen AS (
      SELECT i."id", i."preAnnotation" FROM "Image" i
      WHERE i."id" = ANY(${pick.ids!}) AND i."state" = 'active' AND ${free}
      ORDER BY array_position(CAST(${pick.ids!} AS TEXT[]), i."id") LIMIT 1),
    ins AS (
      INSERT INTO "Annotation" ${draftColumns}
      SELECT ${values} FROM chosen i
      RETURNING "id", "imageId"),
    audit AS (
      INSERT INTO "AuditEvent" ("id", "at", "actorId", "projectId", "action", "targetType", "targetId", "details")
      SELECT ${newId()}, ${at}, ${userId}, ${projectId}, 'annotation.claimed', 'annotation', ins."id", ${claimAuditDetails(claim)} FROM ins)
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

/** An active gold image (one with an annotation marked gold) whose subject consents and that this person never labelled. */
async function pickGoldImage(
  tx: TTx,
  projectId: string,
  userId: string,
  allowedSubjects: string[],
): Promise<string | null> {
  const candidates = await tx.image.findMany({
    where: {
      projectId,
      state: "active",
      subjectId: { in: allowedSubjects },
      OR: [{ assignedToId: null }, { assignedToId: userId }],
      annotations: { some: { isGold: true }, none: { annotatorId: userId } },
    },
    select: { id: true },
    take: 200,
  });
  return candidates.length ? candidates[Math.floor(Math.random() * candidates.length)].id : null;
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
