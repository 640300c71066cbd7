import "server-only";
import { GALLERY_COUNT_LIMIT, labelStatusOf, type TGalleryFilters } from "@/lib/images/gallery-filters";
import { consentDecisions } from "@/lib/server/consent/consent-facts";
import { db } from "@/lib/server/db";
import { Prisma } from "@/lib/server/db/generated/sqlite/client";
import { catchUpRollup } from "@/lib/server/stats/annotation-rollup";

type TGalleryQuery = Pick<TGalleryFilters, "subjectId" | "state" | "status"> & {
  /** Subjects the consent filter keeps; undefined = no consent filter. */
  subjectIds?: string[];
};

/**
 * The WHERE clause of the gallery: every filter is an indexed column of Image. The label status is the one
 * stored on the image (Image.labelStatus, see LABEL_STATUS_PRECEDENCE), the status the gallery shows.
 */
function galleryWhere(projectId: string, query: TGalleryQuery): Prisma.Sql {
  const parts = [Prisma.sql`i."projectId" = ${projectId}`];
  if (query.subjectId) parts.push(Prisma.sql`i."subjectId" = ${query.subjectId}`);
  if (query.state) parts.push(Prisma.sql`i."state" = ${query.state}`);
  if (query.status) parts.push(Prisma.sql`i."labelStatus" = ${query.status}`);
  if (query.subjectIds)
    parts.push(
      query.subjectIds.length ? Prisma.sql`i."subjectId" IN (${Prisma.join(query.subjectIds)})` : Prisma.sql`1 = 0`,
    );
  return Prisma.join(parts, " AND ");
}

/**
 * Ids of one gallery page, newest first. Keyset paging: `after`/`before` name an image, and the page is
 * read from the (projectId, createdAt, id) index — or (projectId, labelStatus, createdAt, id) with a status
 * filter — from there, so page 10,000 costs what page 1 costs.
 */
export function galleryPageSql(
  projectId: string,
  query: TGalleryQuery,
  page: { after?: string; before?: string; offset?: number; limit: number },
): Prisma.Sql {
  const where = galleryWhere(projectId, query);
  if (page.before) {
    return Prisma.sql`SELECT i."id" FROM "Image" i WHERE ${where}
      AND (i."createdAt", i."id") > (SELECT c."createdAt", c."id" FROM "Image" c WHERE c."id" = ${page.before})
      ORDER BY i."createdAt" ASC, i."id" ASC LIMIT ${page.limit}`;
  }
  const keyset = page.after
    ? Prisma.sql`AND (i."createdAt", i."id") < (SELECT c."createdAt", c."id" FROM "Image" c WHERE c."id" = ${page.after})`
    : Prisma.empty;
  return Prisma.sql`SELECT i."id" FROM "Image" i WHERE ${where} ${keyset}
    ORDER BY i."createdAt" DESC, i."id" DESC LIMIT ${page.limit} OFFSET ${page.offset ?? 0}`;
}

/** How many images match, counted up to GALLERY_COUNT_LIMIT + 1. */
export function galleryCountSql(projectId: string, query: TGalleryQuery): Prisma.Sql {
  return Prisma.sql`SELECT CAST(COUNT(*) AS INTEGER) AS "n" FROM (SELECT 1 FROM "Image" i WHERE ${galleryWhere(projectId, query)} LIMIT ${GALLERY_COUNT_LIMIT + 1}) t`;
}

/** One page of a project's images with the gallery's filters; consent is decided by lib/consent/rules.ts. */
export async function listImages(projectId: string, filters: TGalleryFilters, now = new Date()) {
  const query: TGalleryQuery = { subjectId: filters.subjectId, state: filters.state, status: filters.status };
  if (filters.consent) {
    // The consent filter needs every subject's decision (subjects are hundreds, images up to millions).
    const subjects = await db.subject.findMany({ where: { projectId }, select: { id: true } });
    const decisions = await consentDecisions(
      subjects.map((s) => s.id),
      "annotation",
      now,
    );
    query.subjectIds = subjects
      .filter((s) => decisions.get(s.id)!.allowed === (filters.consent === "usable"))
      .map((s) => s.id);
  }

  const keyset = filters.before
    ? { before: filters.before }
    : filters.after
      ? { after: filters.after }
      : { offset: (filters.page - 1) * filters.pageSize };
  // Claims and lease expiry write drafts in bulk without updating Image.labelStatus; bring those images up to
  // date first (the cost follows the annotations changed since the last catch-up, found through an index).
  if (query.status) await catchUpRollup(projectId);
  const counted = await db.$queryRaw<{ n: number | bigint }[]>(galleryCountSql(projectId, query));
  const count = Number(counted[0]?.n ?? 0);
  // One row more than a page: whether there is a further page, without counting.
  const idRows = await db.$queryRaw<{ id: string }[]>(
    galleryPageSql(projectId, query, { ...keyset, limit: filters.pageSize + 1 }),
  );
  const more = idRows.length > filters.pageSize;
  const ids = idRows.slice(0, filters.pageSize).map((row) => row.id);
  if (filters.before) ids.reverse();
  const rows = await db.image.findMany({
    where: { id: { in: ids }, projectId },
    select: {
      id: true,
      subjectId: true,
      state: true,
      width: true,
      height: true,
      originalFilename: true,
      createdAt: true,
      sha256: true,
      preAnnotation: true,
      annotations: { select: { status: true } },
      assignedTo: { select: { name: true } },
    },
  });
  const byId = new Map(rows.map((row) => [row.id, row]));
  // Codes and consent only for the subjects on this page.
  const pageSubjectIds = [...new Set(rows.map((row) => row.subjectId))];
  const [subjects, decisions] =
    pageSubjectIds.length === 0
      ? [[], new Map()]
      : await Promise.all([
          db.subject.findMany({ where: { id: { in: pageSubjectIds } }, select: { id: true, code: true } }),
          consentDecisions(pageSubjectIds, "annotation", now),
        ]);
  const codeOf = new Map(subjects.map((s) => [s.id, s.code]));
  const first = ids[0] ?? null;
  const last = ids[ids.length - 1] ?? null;
  return {
    /** Matching images, exact up to GALLERY_COUNT_LIMIT; `totalIsLowerBound` says there are more. */
    total: Math.min(count, GALLERY_COUNT_LIMIT),
    totalIsLowerBound: count > GALLERY_COUNT_LIMIT,
    page: filters.after || filters.before ? null : filters.page,
    pageSize: filters.pageSize,
    /** Pass as `after` for the next page, or as `before` for the previous one; null at either end. */
    nextCursor: (filters.before ? true : more) ? last : null,
    previousCursor: (filters.before ? more : !!filters.after || filters.page > 1) ? first : null,
    images: ids
      .map((id) => byId.get(id)!)
      .map(({ annotations, preAnnotation, assignedTo, ...image }) => ({
        ...image,
        /** The image holds proposals (batch pre-annotation or an import) that claims start from. */
        hasProposal: hasHands(preAnnotation),
        assignedTo: assignedTo?.name ?? null,
        subjectCode: codeOf.get(image.subjectId)!,
        labelStatus: labelStatusOf(annotations.map((a) => a.status)),
        consentAllowed: decisions.get(image.subjectId)!.allowed,
      })),
  };
}

function hasHands(value: unknown): boolean {
  const hands = value && typeof value === "object" ? (value as { hands?: unknown }).hands : null;
  return Array.isArray(hands) && hands.length > 0;
}
