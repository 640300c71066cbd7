import "server-only";
import { z } from "zod";
import { consentDecision, recordInForce } from "@/lib/consent/rules";
import { CONSENT_SCOPES, ZConsentScope } from "@/lib/consent/schema";
import { db } from "@/lib/server/db";
import { describeExports } from "@/lib/server/export/revoke-exports";
import { Prisma } from "@/lib/server/db/generated/sqlite/client";
import { getSubjectOrThrow } from "./subjects";

/** The project's exports that contained at least one image of this subject. */
export function subjectExportsSql(projectId: string, subjectId: string): Prisma.Sql {
  return Prisma.sql`SELECT e."id" FROM "Export" e WHERE e."projectId" = ${projectId}
    AND EXISTS (SELECT 1 FROM "ExportImage" ei JOIN "Image" i ON i."id" = ei."imageId" WHERE ei."exportId" = e."id" AND i."subjectId" = ${subjectId})`;
}

/** A subject with its whole consent history (newest first) and what it allows now, per purpose. */
export async function getSubjectDetail(projectId: string, subjectId: string, now = new Date()) {
  const subject = await getSubjectOrThrow(projectId, subjectId);
  const rows = await db.consentRecord.findMany({
    where: { subjectId },
    orderBy: [{ signedAt: "desc" }, { createdAt: "desc" }],
    include: {
      consentText: { select: { version: true, sha256: true } },
      collectedBy: { select: { name: true } },
      supersededBy: { select: { id: true } },
    },
  });
  const records = rows.map(({ scopes, formStorageKey, ...row }) => ({
    ...row,
    scopes: z.array(ZConsentScope).parse(scopes),
    hasSignedForm: !!formStorageKey,
    superseded: !!row.supersededBy,
  }));
  const inForce = recordInForce(records, now);
  const purposes = Object.fromEntries(CONSENT_SCOPES.map((scope) => [scope, consentDecision(records, scope, now)]));
  const images = await db.image.groupBy({ by: ["state"], where: { subjectId }, _count: true });
  // Exports are few, a subject's images many: ask per export whether it holds one of them.
  const exportIds = await db.$queryRaw<{ id: string }[]>(subjectExportsSql(projectId, subjectId));
  const exports = await describeExports(exportIds.map((row) => row.id));
  return {
    subject,
    records,
    recordInForceId: inForce?.id ?? null,
    purposes,
    images: Object.fromEntries(images.map((row) => [row.state, row._count])) as Record<string, number>,
    /** Earlier exports that contained this subject's images, with who downloaded them: the recipients to tell of a withdrawal. */
    exports,
  };
}
