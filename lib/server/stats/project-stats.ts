import "server-only";
import { AppError } from "@/lib/errors/app-error";
import {
  createStatsAccumulator,
  HANDED_IN_STATUSES,
  queueFromSlotHistogram,
  type TAnnotationGroup,
  type TProjectStats,
} from "@/lib/stats/aggregate";
import { db } from "@/lib/server/db";
import { catchUpRollup } from "@/lib/server/stats/annotation-rollup";
import { Prisma } from "@/lib/server/db/generated/sqlite/client";

/** Users looked up per query (well below SQLite's bound-parameter limit). */
const BATCH = 500;

/**
 * The JSON conditions on Annotation.qualityFlags ("a" is the annotation): at least one well-formed flag,
 * at least one "strong" flag — what lib/stats/aggregate.ts parseFlags reads, in each database's JSON functions.
 */
function flagConditions(postgres: boolean, strong: boolean): Prisma.Sql {
  const severity = strong
    ? postgres
      ? Prisma.sql` AND f->>'severity' = 'strong'`
      : Prisma.sql` AND json_extract(f.value, '$.severity') = 'strong'`
    : Prisma.empty;
  return postgres
    ? Prisma.sql`CASE WHEN jsonb_typeof(a."qualityFlags") = 'array' AND a."qualityFlags" <> '[]'::jsonb THEN EXISTS (SELECT 1 FROM jsonb_array_elements(a."qualityFlags") f WHERE jsonb_typeof(f->'code') = 'string' AND jsonb_typeof(f->'severity') = 'string'${severity}) ELSE false END`
    : Prisma.sql`CASE WHEN a."qualityFlags" <> '[]' AND json_type(a."qualityFlags") = 'array' THEN EXISTS (SELECT 1 FROM json_each(a."qualityFlags") f WHERE f.type = 'object' AND json_type(f.value, '$.code') = 'text' AND json_type(f.value, '$.severity') = 'text'${severity}) ELSE 0 END`;
}

/** Per (annotator, status): the dashboard's sums, computed by the database in one pass over the project's annotations. */
export function statsGroupsSql(projectId: string, postgres: boolean): Prisma.Sql {
  const float = Prisma.raw(postgres ? "DOUBLE PRECISION" : "REAL");
  const handedIn = Prisma.join([...HANDED_IN_STATUSES]);
  const sum = (expression: Prisma.Sql) => Prisma.sql`CAST(SUM(${expression}) AS ${float})`;
  return Prisma.sql`
    SELECT a."annotatorId" AS "annotatorId", a."status" AS "status", CAST(COUNT(*) AS ${float}) AS "annotations",
      ${sum(Prisma.sql`CASE WHEN a."status" = 'accepted' OR EXISTS (SELECT 1 FROM "Review" r WHERE r."annotationId" = a."id" AND r."decision" IS NOT NULL) THEN 1 ELSE 0 END`)} AS "decided",
      ${sum(Prisma.sql`CASE WHEN a."status" IN (${handedIn}) AND EXISTS (SELECT 1 FROM "Review" r WHERE r."annotationId" = a."id" AND r."decision" = 'reject') THEN 1 ELSE 0 END`)} AS "returned",
      ${sum(Prisma.sql`CASE WHEN a."status" IN (${handedIn}) THEN (SELECT COUNT(*) FROM "Hand" h WHERE h."annotationId" = a."id") ELSE 0 END`)} AS "hands",
      ${sum(Prisma.sql`CASE WHEN a."timeSpentMs" > 0 THEN a."timeSpentMs" ELSE 0 END`)} AS "activeMs",
      ${sum(Prisma.sql`CASE WHEN a."goldScore" IS NULL THEN 0 ELSE 1 END`)} AS "goldCount",
      ${sum(Prisma.sql`COALESCE(a."goldScore", 0)`)} AS "goldSum",
      ${sum(Prisma.sql`CASE WHEN a."modelCorrectionPx" IS NULL THEN 0 ELSE 1 END`)} AS "assistedCount",
      ${sum(Prisma.sql`COALESCE(a."modelCorrectionPx", 0)`)} AS "correctionSum",
      ${sum(Prisma.sql`CASE WHEN a."status" IN (${handedIn}) AND (${flagConditions(postgres, false)}) THEN 1 ELSE 0 END`)} AS "anyFlagged",
      ${sum(Prisma.sql`CASE WHEN a."status" IN (${handedIn}) AND (${flagConditions(postgres, true)}) THEN 1 ELSE 0 END`)} AS "strongFlagged"
    FROM "Annotation" a JOIN "Image" i ON i."id" = a."imageId"
    WHERE i."projectId" = ${projectId}
    GROUP BY a."annotatorId", a."status"`;
}

/** Flag occurrences by code and severity on the project's handed-in annotations. */
export function flagCountsSql(projectId: string, postgres: boolean): Prisma.Sql {
  const handedIn = Prisma.join([...HANDED_IN_STATUSES]);
  return postgres
    ? Prisma.sql`
      SELECT f->>'code' AS "code", CASE WHEN f->>'severity' = 'strong' THEN 'strong' ELSE 'warning' END AS "severity", CAST(COUNT(*) AS INTEGER) AS "n"
      FROM "Annotation" a JOIN "Image" i ON i."id" = a."imageId"
        CROSS JOIN LATERAL jsonb_array_elements(CASE WHEN jsonb_typeof(a."qualityFlags") = 'array' THEN a."qualityFlags" ELSE '[]'::jsonb END) f
      WHERE i."projectId" = ${projectId} AND a."status" IN (${handedIn}) AND a."qualityFlags" <> '[]'::jsonb
        AND jsonb_typeof(f->'code') = 'string' AND jsonb_typeof(f->'severity') = 'string'
      GROUP BY 1, 2`
    : Prisma.sql`
      SELECT json_extract(f.value, '$.code') AS "code", CASE WHEN json_extract(f.value, '$.severity') = 'strong' THEN 'strong' ELSE 'warning' END AS "severity", COUNT(*) AS "n"
      FROM "Annotation" a JOIN "Image" i ON i."id" = a."imageId", json_each(CASE WHEN json_type(a."qualityFlags") = 'array' THEN a."qualityFlags" ELSE '[]' END) f
      WHERE i."projectId" = ${projectId} AND a."status" IN (${handedIn}) AND a."qualityFlags" <> '[]'
        AND f.type = 'object' AND json_type(f.value, '$.code') = 'text' AND json_type(f.value, '$.severity') = 'text'
      GROUP BY 1, 2`;
}

/**
 * The project's rollup rows (AnnotationRollup, FlagRollup), after counting any annotation written without a
 * sync: a few rows per annotator and status, however many annotations the project has.
 */
export async function readProjectRollup(projectId: string): Promise<{
  groups: TAnnotationGroup[];
  flags: { code: string; severity: "strong" | "warning"; n: number }[];
  queue: { doubleAnnotate: boolean; held: number; images: number }[];
}> {
  await catchUpRollup(projectId);
  const [groups, flags, queue] = await Promise.all([
    db.annotationRollup.findMany({ where: { projectId, annotations: { gt: 0 } } }),
    db.flagRollup.findMany({ where: { projectId, n: { gt: 0 } } }),
    db.queueRollup.findMany({
      where: { projectId, images: { gt: 0 } },
      select: { doubleAnnotate: true, held: true, images: true },
    }),
  ]);
  return {
    groups: groups.map(({ projectId: _project, ...group }) => group),
    flags: flags.map((row) => ({
      code: row.code,
      severity: row.severity === "strong" ? "strong" : "warning",
      n: row.n,
    })),
    queue,
  };
}

/**
 * The manager dashboard's figures for one project (definitions in lib/stats/aggregate.ts).
 * The caller authorises (audit.view). Annotations of every image of the project count, whatever the
 * image's state now; the queue counts active images only. The figures per annotator and status come from
 * the rollup kept at every write (lib/server/stats/annotation-rollup.ts), equal to `statsGroupsSql` and
 * `flagCountsSql` computed from scratch (the rollup test checks it).
 */
export async function getProjectStats(projectId: string): Promise<TProjectStats> {
  const project = await db.project.findUnique({ where: { id: projectId }, select: { annotationsPerImage: true } });
  if (!project) throw new AppError("not_found", "No such project");
  const { groups, flags, queue: images } = await readProjectRollup(projectId);
  const histogram = slotHistogram(images, project.annotationsPerImage);
  const accumulator = createStatsAccumulator();
  let reviewsWaiting = 0;
  for (const group of groups) {
    accumulator.addGroup(group);
    if (group.status === "submitted") reviewsWaiting += group.annotations;
  }
  for (const row of flags) accumulator.addFlagCount(row.code, row.severity, row.n);
  const queue = queueFromSlotHistogram(histogram, project.annotationsPerImage, reviewsWaiting);

  const ids = accumulator.annotatorIds();
  const names = new Map<string, string>();
  for (let i = 0; i < ids.length; i += BATCH) {
    const users = await db.user.findMany({
      where: { id: { in: ids.slice(i, i + BATCH) } },
      select: { id: true, name: true },
    });
    for (const user of users) names.set(user.id, user.name);
  }
  return accumulator.result(names, queue);
}

/**
 * Active images of the project grouped by how many slot-holding annotations they have (from QueueRollup).
 * Approximate by design: it ignores consent (images whose subject's consent does not allow annotation now are
 * counted as waiting) and drafts whose lease ran out still hold their slot until the next claim expires them.
 */
function slotHistogram(
  images: { doubleAnnotate: boolean; held: number; images: number }[],
  annotationsPerImage: number,
): { held: number; images: number }[] {
  // Images drawn for double annotation need max(k, 2) labellings: counting them `extra` lower keeps
  // "held < k" (and "k - held" open slots) right for both kinds.
  const extra = Math.max(annotationsPerImage, 2) - Math.max(annotationsPerImage, 1);
  return images.map((row) => ({ held: row.held - (row.doubleAnnotate ? extra : 0), images: row.images }));
}
