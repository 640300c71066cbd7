import "server-only";
import { labelStatusOf, type TGalleryFilters } from "@/lib/images/gallery-filters";
import { consentDecisions } from "@/lib/server/consent/consent-facts";
import { db } from "@/lib/server/db";
import type { Prisma } from "@/lib/server/db/open";

/** One page of a project's images with the gallery's filters; consent is decided by lib/consent/rules.ts. */
export async function listImages(projectId: string, filters: TGalleryFilters, now = new Date()) {
  const subjects = await db.subject.findMany({ where: { projectId }, select: { id: true, code: true } });
  const decisions = await consentDecisions(subjects.map((s) => s.id), "annotation", now);
  const where: Prisma.ImageWhereInput = { projectId };
  if (filters.subjectId) where.subjectId = filters.subjectId;
  if (filters.state) where.state = filters.state;
  if (filters.consent) {
    where.subjectId = { in: subjects.filter((s) => decisions.get(s.id)!.allowed === (filters.consent === "usable") && (!filters.subjectId || s.id === filters.subjectId)).map((s) => s.id) };
  }
  if (filters.status === "unlabelled") where.annotations = { none: { status: { in: ["draft", "submitted", "accepted", "rejected"] } } };
  else if (filters.status) where.annotations = { some: { status: filters.status } };

  const [total, rows] = await Promise.all([
    db.image.count({ where }),
    db.image.findMany({
      where,
      orderBy: { createdAt: "desc" },
      skip: (filters.page - 1) * filters.pageSize,
      take: filters.pageSize,
      select: {
        id: true, subjectId: true, state: true, width: true, height: true, originalFilename: true, createdAt: true, sha256: true,
        annotations: { select: { status: true } },
      },
    }),
  ]);
  const codeOf = new Map(subjects.map((s) => [s.id, s.code]));
  return {
    total,
    page: filters.page,
    pageSize: filters.pageSize,
    images: rows.map(({ annotations, ...image }) => ({
      ...image,
      subjectCode: codeOf.get(image.subjectId)!,
      labelStatus: labelStatusOf(annotations.map((a) => a.status)),
      consentAllowed: decisions.get(image.subjectId)!.allowed,
    })),
  };
}
