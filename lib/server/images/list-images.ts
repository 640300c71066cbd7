import "server-only";
import { SLOT_HOLDING_STATUSES } from "@/lib/annotate/status";
import { GALLERY_COUNT_LIMIT, labelStatusOf, type TGalleryFilters } from "@/lib/images/gallery-filters";
import { consentDecisions } from "@/lib/server/consent/consent-facts";
import { db } from "@/lib/server/db";
import { Prisma } from "@/lib/server/db/generated/sqlite/client";

type TGalleryQuery = Pick<TGalleryFilters, "subjectId" | "state" | "status"> & {
  /** Subjects the consent filter keeps; undefined = no consent filter. */
  subjectIds?: string[];
  /**
   * How a label-status filter finds its images: "image" walks the gallery order and probes each image's
   * annotations (fast when matches are dense), "annotation" starts from the annotations with that status
   * and sorts them (fast when they are few). listImages picks by the count.
   */
  statusFrom?: "image" | "annotation";
};

/**
 * Up to this many matching images (the exact-count limit), a label-status filter reads them from the
 * Annotation status index and sorts them; with more, at least one image in a hundred matches on a
 * million-image project, so walking the gallery order finds a page within a few thousand probes.
 */
export const SPARSE_STATUS_LIMIT = GALLERY_COUNT_LIMIT;

/** The status filter read from the annotations' side: "a" joined to "i" (no unlabelled: it has no annotation to start from). */
const fromAnnotations = (query: TGalleryQuery) =>
  query.status && query.status !== "unlabelled" && query.statusFrom === "annotation";

/** The WHERE clause of the gallery: every filter is an indexed column or an EXISTS probe on one image's annotations. */
function galleryWhere(projectId: string, query: TGalleryQuery): Prisma.Sql {
  const parts = [Prisma.sql`i."projectId" = ${projectId}`];
  if (query.subjectId) parts.push(Prisma.sql`i."subjectId" = ${query.subjectId}`);
  if (query.state) parts.push(Prisma.sql`i."state" = ${query.state}`);
  if (query.subjectIds)
    parts.push(
      query.subjectIds.length ? Prisma.sql`i."subjectId" IN (${Prisma.join(query.subjectIds)})` : Prisma.sql`1 = 0`,
    );
  if (fromAnnotations(query)) {
    parts.push(Prisma.sql`a."status" = ${query.status!} AND i."id" = a."imageId"`);
  } else if (query.status === "unlabelled") {
    parts.push(
      Prisma.sql`NOT EXISTS (SELECT 1 FROM "Annotation" a WHERE a."imageId" = i."id" AND a."status" IN (${Prisma.join([...SLOT_HOLDING_STATUSES])}))`,
    );
  } else if (query.status) {
    parts.push(
      Prisma.sql`EXISTS (SELECT 1 FROM "Annotation" a WHERE a."imageId" = i."id" AND a."status" = ${query.status})`,
    );
  }
  return Prisma.join(parts, " AND ");
}

/**
 * Ids of one gallery page, newest first. Keyset paging: `after`/`before` name an image, and the page is
 * read from the (projectId, createdAt, id) index from there, so page 10,000 costs what page 1 costs.
 */
export function galleryPageSql(
  projectId: string,
  query: TGalleryQuery,
  page: { after?: string; before?: string; offset?: number; limit: number },
): Prisma.Sql {
  const where = galleryWhere(projectId, query);
  // From the annotations: CROSS JOIN keeps SQLite's join order (annotations by status first); an image
  // with two matching annotations is listed once.
  const from = fromAnnotations(query) ? Prisma.sql`"Annotation" a CROSS JOIN "Image" i` : Prisma.sql`"Image" i`;
  const group = fromAnnotations(query) ? Prisma.sql`GROUP BY i."id", i."createdAt"` : Prisma.empty;
  if (page.before) {
    return Prisma.sql`SELECT i."id" FROM ${from} WHERE ${where}
      AND (i."createdAt", i."id") > (SELECT c."createdAt", c."id" FROM "Image" c WHERE c."id" = ${page.before})
      ${group} ORDER BY i."createdAt" ASC, i."id" ASC LIMIT ${page.limit}`;
  }
  const keyset = page.after
    ? Prisma.sql`AND (i."createdAt", i."id") < (SELECT c."createdAt", c."id" FROM "Image" c WHERE c."id" = ${page.after})`
    : Prisma.empty;
  return Prisma.sql`SELECT i."id" FROM ${from} WHERE ${where} ${keyset}
    ${group} ORDER BY i."createdAt" DESC, i."id" DESC LIMIT ${page.limit} OFFSET ${page.offset ?? 0}`;
}

/** How many images match, counted up to GALLERY_COUNT_LIMIT + 1. */
export function galleryCountSql(projectId: string, query: TGalleryQuery): Prisma.Sql {
  if (fromAnnotations(query)) {
    return Prisma.sql`SELECT CAST(COUNT(*) AS INTEGER) AS "n" FROM (SELECT DISTINCT a."imageId" FROM "Annotation" a CROSS JOIN "Image" i WHERE ${galleryWhere(projectId, query)} LIMIT ${GALLERY_COUNT_LIMIT + 1}) t`;
  }
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
  // A label-status filter counts from the annotations (cost bounded by the count limit), then reads the page
  // from whichever side suits the count.
  if (query.status && query.status !== "unlabelled") query.statusFrom = "annotation";
  const counted = await db.$queryRaw<{ n: number | bigint }[]>(galleryCountSql(projectId, query));
  const count = Number(counted[0]?.n ?? 0);
  if (query.statusFrom && count > SPARSE_STATUS_LIMIT) query.statusFrom = "image";
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
