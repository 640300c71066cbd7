import "server-only";
import { COMPARED_STATUSES, SLOT_HOLDING_STATUSES } from "@/lib/annotate/status";
import { IMAGE_STATES, LABEL_STATUS_PRECEDENCE } from "@/lib/images/gallery-filters";
import { databaseTarget } from "@/lib/env";
import {
  annotationContribution,
  ROLLUP_FIGURES,
  rollupDelta,
  ZContribution,
  type TContribution,
  type TRollupDelta,
} from "@/lib/stats/annotation-contribution";
import type { TTx } from "@/lib/server/audit/record-audit-event";
import { db } from "@/lib/server/db";
import { Prisma } from "@/lib/server/db/generated/sqlite/client";

/**
 * The dashboard rollup (AnnotationRollup, FlagRollup): per (project, annotator, status) sums of what each
 * annotation contributes (lib/stats/annotation-contribution.ts). Every write that changes an annotation's
 * status, hands, reviews, flags, time, gold score or correction calls `syncAnnotationRollup` with its ids in
 * the same transaction, after its writes: the fresh contribution is compared with the one stored on the
 * annotation and only the difference is added, by atomic increments (INSERT … ON CONFLICT DO UPDATE SET
 * n = n + excluded.n), never read-modify-write. On PostgreSQL the annotations are locked first (in id order),
 * so two transactions never apply the same change twice. Deleting annotations calls `forgetAnnotationRollup`
 * first. Annotations written without a sync (imports of old data, bulk generators, tests) have no stored
 * status and are counted by `syncUncountedAnnotations` (the dashboard calls it before it reads).
 */

/** Annotations read per statement (well below SQLite's bound-parameter limit). */
const BATCH = 200;

type TChange = {
  id: string;
  imageId: string;
  projectId: string;
  before: TContribution | null;
  after: TContribution | null;
};

function storedContribution(status: string | null, rollup: string | null): TContribution | null {
  if (status === null || rollup === null) return null;
  const parsed = ZContribution.safeParse(JSON.parse(rollup));
  if (!parsed.success) throw new Error(`Annotation.rollup holds a value its schema refuses: ${parsed.error.message}`);
  return parsed.data;
}

async function lockAnnotations(tx: TTx, ids: string[]) {
  if (databaseTarget().provider !== "postgresql" || ids.length === 0) return;
  await tx.$queryRaw(
    Prisma.sql`SELECT "id" FROM "Annotation" WHERE "id" IN (${Prisma.join(ids)}) ORDER BY "id" FOR UPDATE`,
  );
}

async function readChanges(tx: TTx, ids: string[], forget: boolean): Promise<TChange[]> {
  const rows = await tx.annotation.findMany({
    where: { id: { in: ids } },
    select: {
      id: true,
      imageId: true,
      annotatorId: true,
      status: true,
      timeSpentMs: true,
      goldScore: true,
      modelCorrectionPx: true,
      qualityFlags: true,
      rollupStatus: true,
      rollup: true,
      image: { select: { projectId: true } },
      reviews: { where: { decision: { not: null } }, select: { decision: true } },
    },
  });
  // Hands counted with their own indexed query (a relation _count makes Prisma group the whole Hand table).
  const hands = await tx.hand.groupBy({ by: ["annotationId"], where: { annotationId: { in: ids } }, _count: true });
  const handCount = new Map(hands.map((h) => [h.annotationId, h._count]));
  return rows.map((row) => ({
    id: row.id,
    imageId: row.imageId,
    projectId: row.image.projectId,
    before: storedContribution(row.rollupStatus, row.rollup),
    after: forget
      ? null
      : annotationContribution({
          annotatorId: row.annotatorId,
          status: row.status,
          timeSpentMs: row.timeSpentMs,
          handCount: handCount.get(row.id) ?? 0,
          goldScore: row.goldScore,
          modelCorrectionPx: row.modelCorrectionPx,
          qualityFlags: row.qualityFlags,
          decisions: row.reviews.map((r) => r.decision!),
        }),
  }));
}

async function applyDelta(tx: TTx, projectId: string, delta: TRollupDelta) {
  const columns = ROLLUP_FIGURES.map((f) => Prisma.raw(`"${f}"`));
  const updates = Prisma.join(
    ROLLUP_FIGURES.map((f) => Prisma.raw(`"${f}" = "AnnotationRollup"."${f}" + excluded."${f}"`)),
    ", ",
  );
  for (const group of delta.groups) {
    await tx.$executeRaw(Prisma.sql`
      INSERT INTO "AnnotationRollup" ("projectId", "annotatorId", "status", ${Prisma.join(columns, ", ")})
      VALUES (${projectId}, ${group.annotatorId}, ${group.status}, ${Prisma.join(ROLLUP_FIGURES.map((f) => group.figures[f]))})
      ON CONFLICT ("projectId", "annotatorId", "status") DO UPDATE SET ${updates}`);
  }
  for (const flag of delta.flags) {
    await tx.$executeRaw(Prisma.sql`
      INSERT INTO "FlagRollup" ("projectId", "code", "severity", "n") VALUES (${projectId}, ${flag.code}, ${flag.severity}, ${flag.n})
      ON CONFLICT ("projectId", "code", "severity") DO UPDATE SET "n" = "FlagRollup"."n" + excluded."n"`);
  }
}

async function storeContributions(tx: TTx, changes: TChange[]) {
  if (changes.length === 0) return;
  const ids = changes.map((c) => c.id);
  const status = Prisma.join(
    changes.map((c) => Prisma.sql`WHEN ${c.id} THEN ${c.after?.status ?? null}`),
    " ",
  );
  const rollup = Prisma.join(
    changes.map((c) => Prisma.sql`WHEN ${c.id} THEN ${c.after ? JSON.stringify(c.after) : null}`),
    " ",
  );
  // Raw SQL: Prisma's @updatedAt must not move (editors compare it), this is bookkeeping, not an edit.
  await tx.$executeRaw(Prisma.sql`
    UPDATE "Annotation" SET "rollupStatus" = CASE "id" ${status} END, "rollup" = CASE "id" ${rollup} END
    WHERE "id" IN (${Prisma.join(ids)})`);
}

async function sync(tx: TTx, annotationIds: readonly string[], forget: boolean) {
  const unique = [...new Set(annotationIds)].sort();
  for (let i = 0; i < unique.length; i += BATCH) {
    const ids = unique.slice(i, i + BATCH);
    await lockAnnotations(tx, ids);
    const changes = await readChanges(tx, ids, forget);
    const byProject = new Map<string, TChange[]>();
    for (const change of changes) byProject.set(change.projectId, [...(byProject.get(change.projectId) ?? []), change]);
    for (const [projectId, mine] of [...byProject].sort(([a], [b]) => a.localeCompare(b)))
      await applyDelta(tx, projectId, rollupDelta(mine));
    await storeContributions(tx, changes);
    if (!forget) await syncImageQueue(tx, [...new Set(changes.map((c) => c.imageId))]);
  }
}

/** SQL: the image's label status from its annotations (lib/images/gallery-filters.ts LABEL_STATUS_PRECEDENCE). */
const labelStatusSql = Prisma.sql`COALESCE((SELECT a."status" FROM "Annotation" a WHERE a."imageId" = "Image"."id"
  AND a."status" IN (${Prisma.join([...LABEL_STATUS_PRECEDENCE])})
  ORDER BY CASE a."status" ${Prisma.join(
    LABEL_STATUS_PRECEDENCE.map((status, rank) => Prisma.sql`WHEN ${status} THEN ${Prisma.raw(String(rank))}`),
    " ",
  )} END LIMIT 1), 'unlabelled')`;

/**
 * Recounts these images' slot-holding annotations (Image.heldSlots), their label status (Image.labelStatus,
 * the gallery's status filter), whether two handed-in labellings can be compared (Image.doublyLabelled,
 * the adjudication queue) and their submitted annotations (Image.submittedCount, the review page), and moves each in QueueRollup from the
 * bucket it is counted under (Image.queueHeld) to where it belongs now: (doubleAnnotate, heldSlots) when
 * active, nowhere otherwise.
 */
export async function syncImageQueue(tx: TTx, imageIds: readonly string[]): Promise<void> {
  const unique = [...new Set(imageIds)].sort();
  for (let i = 0; i < unique.length; i += BATCH) {
    const ids = unique.slice(i, i + BATCH);
    if (databaseTarget().provider === "postgresql")
      await tx.$queryRaw(
        Prisma.sql`SELECT "id" FROM "Image" WHERE "id" IN (${Prisma.join(ids)}) ORDER BY "id" FOR UPDATE`,
      );
    await tx.$executeRaw(Prisma.sql`
      UPDATE "Image" SET "heldSlots" = (SELECT COUNT(*) FROM "Annotation" a WHERE a."imageId" = "Image"."id"
        AND a."status" IN (${Prisma.join([...SLOT_HOLDING_STATUSES])})),
        "labelStatus" = ${labelStatusSql},
        "doublyLabelled" = (SELECT COUNT(*) FROM "Annotation" a WHERE a."imageId" = "Image"."id"
          AND a."status" IN (${Prisma.join([...COMPARED_STATUSES])}) AND a."goldScore" IS NULL) >= 2,
        "submittedCount" = (SELECT COUNT(*) FROM "Annotation" a WHERE a."imageId" = "Image"."id" AND a."status" = 'submitted')
      WHERE "id" IN (${Prisma.join(ids)})`);
    const images = await tx.image.findMany({
      where: { id: { in: ids } },
      select: { id: true, projectId: true, state: true, doubleAnnotate: true, heldSlots: true, queueHeld: true },
    });
    const deltas = new Map<string, { projectId: string; doubleAnnotate: boolean; held: number; n: number }>();
    const add = (projectId: string, doubleAnnotate: boolean, held: number, n: number) => {
      const key = `${projectId}\u0000${doubleAnnotate}\u0000${held}`;
      const row = deltas.get(key) ?? { projectId, doubleAnnotate, held, n: 0 };
      row.n += n;
      deltas.set(key, row);
    };
    const moved: { id: string; queueHeld: number | null }[] = [];
    for (const image of images) {
      const want = image.state === "active" ? image.heldSlots : null;
      if (want === image.queueHeld) continue;
      if (image.queueHeld !== null) add(image.projectId, image.doubleAnnotate, image.queueHeld, -1);
      if (want !== null) add(image.projectId, image.doubleAnnotate, want, 1);
      moved.push({ id: image.id, queueHeld: want });
    }
    const rows = [...deltas].sort(([a], [b]) => a.localeCompare(b)).map(([, row]) => row);
    for (const row of rows.filter((r) => r.n !== 0))
      await tx.$executeRaw(Prisma.sql`
        INSERT INTO "QueueRollup" ("projectId", "doubleAnnotate", "held", "images") VALUES (${row.projectId}, ${row.doubleAnnotate}, ${row.held}, ${row.n})
        ON CONFLICT ("projectId", "doubleAnnotate", "held") DO UPDATE SET "images" = "QueueRollup"."images" + excluded."images"`);
    if (moved.length)
      await tx.$executeRaw(Prisma.sql`
        UPDATE "Image" SET "queueHeld" = CAST(CASE "id" ${Prisma.join(
          moved.map((m) => Prisma.sql`WHEN ${m.id} THEN ${m.queueHeld}`),
          " ",
        )} END AS INTEGER)
        WHERE "id" IN (${Prisma.join(moved.map((m) => m.id))})`);
  }
}

/** Brings the rollup up to date with these annotations as they are now (call after the writes, in their transaction). */
export async function syncAnnotationRollup(tx: TTx, annotationIds: readonly string[]): Promise<void> {
  await sync(tx, annotationIds, false);
}

/** Takes these annotations out of the rollup (call in the transaction that deletes them, before the delete). */
export async function forgetAnnotationRollup(tx: TTx, annotationIds: readonly string[]): Promise<void> {
  await sync(tx, annotationIds, true);
}

/** `forgetAnnotationRollup` for the annotations a deleteMany with this filter is about to delete. */
export async function forgetAnnotationsWhere(tx: TTx, where: Prisma.AnnotationWhereInput): Promise<void> {
  const rows = await tx.annotation.findMany({ where, select: { id: true } });
  await forgetAnnotationRollup(
    tx,
    rows.map((r) => r.id),
  );
}

/** Annotations the rollup has not counted as they are: never counted, or drafts expired in bulk since. */
const UNCOUNTED_ANNOTATIONS = [
  Prisma.sql`a."rollupStatus" IS NULL`,
  Prisma.sql`a."rollupStatus" = 'draft' AND a."status" = 'expired'`,
];
/** Images the queue rollup has not counted as they are: new active ones, and counted ones that left the active state (consent withdrawn). */
const UNCOUNTED_IMAGES = [
  Prisma.sql`"state" = 'active' AND "queueHeld" IS NULL`,
  ...IMAGE_STATES.filter((state) => state !== "active").map(
    (state) => Prisma.sql`"state" = ${state} AND "queueHeld" IS NOT NULL`,
  ),
];

/**
 * Whether the project has anything `syncUncountedAnnotations` would count: one statement of index probes, so
 * readers pay one round trip rather than a transaction when (as almost always) nothing is left.
 */
async function hasUncounted(projectId: string): Promise<boolean> {
  const probes = [
    ...UNCOUNTED_ANNOTATIONS.map(
      (condition) => Prisma.sql`EXISTS (SELECT 1 FROM "Annotation" a JOIN "Image" i ON i."id" = a."imageId"
        WHERE ${condition} AND i."projectId" = ${projectId})`,
    ),
    ...UNCOUNTED_IMAGES.map(
      (condition) => Prisma.sql`EXISTS (SELECT 1 FROM "Image" WHERE "projectId" = ${projectId} AND ${condition})`,
    ),
  ];
  const [row] = await db.$queryRaw<{ found: unknown }[]>(
    Prisma.sql`SELECT CASE WHEN ${Prisma.join(probes, " OR ")} THEN 1 ELSE 0 END AS "found"`,
  );
  return Number(row?.found) === 1;
}

/**
 * Counts the project's annotations the rollup has not seen (written without a sync) and those whose
 * status moved in bulk since they were counted (drafts expired by a claim). Both are found through the
 * (rollupStatus, status) index, so the cost follows the number of such annotations, not the project size.
 */
export async function syncUncountedAnnotations(tx: TTx, projectId: string, limit = Infinity): Promise<number> {
  let total = 0;
  for (const condition of UNCOUNTED_ANNOTATIONS) {
    while (total < limit) {
      const rows = await tx.$queryRaw<{ id: string }[]>(Prisma.sql`
        SELECT a."id" AS "id" FROM "Annotation" a JOIN "Image" i ON i."id" = a."imageId"
        WHERE ${condition} AND i."projectId" = ${projectId}
        LIMIT ${Math.min(BATCH * 5, limit - total)}`);
      if (rows.length === 0) break;
      await syncAnnotationRollup(
        tx,
        rows.map((r) => r.id),
      );
      total += rows.length;
    }
  }
  for (const condition of UNCOUNTED_IMAGES) {
    while (total < limit) {
      const rows = await tx.$queryRaw<{ id: string }[]>(Prisma.sql`
        SELECT "id" FROM "Image" WHERE "projectId" = ${projectId} AND ${condition}
        LIMIT ${Math.min(BATCH * 5, limit - total)}`);
      if (rows.length === 0) break;
      await syncImageQueue(
        tx,
        rows.map((r) => r.id),
      );
      total += rows.length;
    }
  }
  return total;
}

/** `syncUncountedAnnotations` in its own transaction: what readers of the rollup or Image.labelStatus call first. */
export async function catchUpRollup(projectId: string): Promise<void> {
  if (!(await hasUncounted(projectId))) return;
  await db.$transaction((tx) => syncUncountedAnnotations(tx, projectId), { maxWait: 20_000, timeout: 120_000 });
}
