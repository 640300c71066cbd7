import "server-only";
import { databaseTarget } from "@/lib/env";
import type { TLabelBrowserFilters } from "@/lib/labels/browser-filters";
import { db } from "@/lib/server/db";
import { annotationQualityFlagsColumn } from "@/lib/server/db/json-columns";
import { Prisma } from "@/lib/server/db/generated/sqlite/client";

/**
 * The WHERE clause of the dataset browser ("a" the annotation): every filter is a column or an EXISTS probe
 * on the one annotation's hands or flags, so the database does the filtering. The project is the annotation's
 * own copy (Annotation.projectId), so pages come in order from the (projectId[, status | annotatorId],
 * createdAt, id) indexes without joining the images.
 */
export function browserWhere(projectId: string, filters: TLabelBrowserFilters): Prisma.Sql {
  const parts = [Prisma.sql`a."projectId" = ${projectId}`];
  if (filters.status) parts.push(Prisma.sql`a."status" = ${filters.status}`);
  if (filters.annotatorId) parts.push(Prisma.sql`a."annotatorId" = ${filters.annotatorId}`);
  if (filters.source) parts.push(Prisma.sql`a."source" = ${filters.source}`);
  if (filters.gold) parts.push(filters.gold === "yes" ? Prisma.sql`a."isGold"` : Prisma.sql`NOT a."isGold"`);
  if (filters.gesture || filters.view) {
    const hand = [Prisma.sql`h."annotationId" = a."id"`];
    if (filters.gesture) hand.push(Prisma.sql`h."gesture" = ${filters.gesture}`);
    if (filters.view) hand.push(Prisma.sql`h."view" = ${filters.view}`);
    // One hand with both, not one hand with the gesture and another with the view.
    parts.push(Prisma.sql`EXISTS (SELECT 1 FROM "Hand" h WHERE ${Prisma.join(hand, " AND ")})`);
  }
  if (filters.flag) {
    parts.push(
      databaseTarget().provider === "postgresql"
        ? Prisma.sql`a."qualityFlags" @> CAST(${JSON.stringify([{ code: filters.flag }])} AS jsonb)`
        : Prisma.sql`EXISTS (SELECT 1 FROM json_each(CASE WHEN json_type(a."qualityFlags") = 'array' THEN a."qualityFlags" ELSE '[]' END) f WHERE json_extract(f.value, '$.code') = ${filters.flag})`,
    );
  }
  return Prisma.join(parts, " AND ");
}

/** Ids of one page, newest labelling first, keyset-paged on (createdAt, id): page 1,000 costs what page 1 costs. */
export function browserPageSql(projectId: string, filters: TLabelBrowserFilters, limit: number): Prisma.Sql {
  const from = Prisma.sql`"Annotation" a`;
  const where = browserWhere(projectId, filters);
  if (filters.before) {
    return Prisma.sql`SELECT a."id" FROM ${from} WHERE ${where}
      AND (a."createdAt", a."id") > (SELECT c."createdAt", c."id" FROM "Annotation" c WHERE c."id" = ${filters.before})
      ORDER BY a."createdAt" ASC, a."id" ASC LIMIT ${limit}`;
  }
  const keyset = filters.after
    ? Prisma.sql`AND (a."createdAt", a."id") < (SELECT c."createdAt", c."id" FROM "Annotation" c WHERE c."id" = ${filters.after})`
    : Prisma.empty;
  return Prisma.sql`SELECT a."id" FROM ${from} WHERE ${where} ${keyset}
    ORDER BY a."createdAt" DESC, a."id" DESC LIMIT ${limit}`;
}

/** Counted up to this many (a manager's page view never counts a million rows). */
export const BROWSER_COUNT_LIMIT = 10_000;

/**
 * One page of the dataset browser: the project's labellings matching `filters`, with what a manager
 * recognises them by (original file name, subject code, annotator) and what they hold (hands, flags).
 */
export async function browseLabels(projectId: string, filters: TLabelBrowserFilters) {
  const [idRows, counted] = await Promise.all([
    db.$queryRaw<{ id: string }[]>(browserPageSql(projectId, filters, filters.pageSize + 1)),
    db.$queryRaw<{ n: number | bigint }[]>(
      Prisma.sql`SELECT CAST(COUNT(*) AS INTEGER) AS "n" FROM (SELECT 1 FROM "Annotation" a WHERE ${browserWhere(projectId, filters)} LIMIT ${BROWSER_COUNT_LIMIT + 1}) t`,
    ),
  ]);
  const more = idRows.length > filters.pageSize;
  const ids = idRows.slice(0, filters.pageSize).map((row) => row.id);
  if (filters.before) ids.reverse();
  const rows = await db.annotation.findMany({
    where: { id: { in: ids }, image: { projectId } },
    select: {
      id: true,
      status: true,
      source: true,
      isGold: true,
      noHands: true,
      qualityFlags: true,
      submittedAt: true,
      updatedAt: true,
      annotator: { select: { id: true, name: true } },
      image: {
        select: { id: true, originalFilename: true, state: true, subject: { select: { code: true } } },
      },
      hands: { orderBy: { position: "asc" }, select: { handedness: true, gesture: true, view: true } },
    },
  });
  // Counted with their own indexed query: a relation _count makes Prisma group the whole Review table.
  const decided = await db.review.groupBy({
    by: ["annotationId"],
    where: { annotationId: { in: ids }, decision: { not: null } },
    _count: true,
  });
  const decisionsOf = new Map(decided.map((row) => [row.annotationId, row._count]));
  const byId = new Map(rows.map((row) => [row.id, row]));
  const count = Number(counted[0]?.n ?? 0);
  const first = ids[0] ?? null;
  const last = ids[ids.length - 1] ?? null;
  return {
    total: Math.min(count, BROWSER_COUNT_LIMIT),
    totalIsLowerBound: count > BROWSER_COUNT_LIMIT,
    nextCursor: (filters.before ? true : more) ? last : null,
    previousCursor: (filters.before ? more : !!filters.after) ? first : null,
    items: ids
      .map((id) => byId.get(id))
      .filter((row) => row !== undefined)
      .map(({ qualityFlags, image, ...row }) => {
        const flags = annotationQualityFlagsColumn.read(qualityFlags);
        return {
          ...row,
          image: { id: image.id, originalFilename: image.originalFilename, state: image.state },
          subjectCode: image.subject.code,
          flagCodes: [...new Set(flags.map((flag) => flag.code))],
          strongFlags: flags.filter((flag) => flag.severity === "strong").length,
          decisions: decisionsOf.get(row.id) ?? 0,
        };
      }),
  };
}

/** The people who labelled in the project (for the annotator filter): one index probe per person. */
export async function labellersOf(projectId: string) {
  return db.user.findMany({
    where: { annotations: { some: { projectId } } },
    select: { id: true, name: true },
    orderBy: { name: "asc" },
  });
}
