import "server-only";
import { z } from "zod";
import { consentDecision, recordInForce } from "@/lib/consent/rules";
import { CONSENT_SCOPES, ZConsentScope } from "@/lib/consent/schema";
import { db } from "@/lib/server/db";
import { affectedExports } from "@/lib/server/export/revoke-exports";
import { getSubjectOrThrow } from "./subjects";

/** A subject with its whole consent history (newest first) and what it allows now, per purpose. */
export async function getSubjectDetail(projectId: string, subjectId: string, now = new Date()) {
  const subject = await getSubjectOrThrow(projectId, subjectId);
  const rows = await db.consentRecord.findMany({
    where: { subjectId },
    orderBy: [{ signedAt: "desc" }, { createdAt: "desc" }],
    include: { consentText: { select: { version: true, sha256: true } }, collectedBy: { select: { name: true } }, supersededBy: { select: { id: true } } },
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
  const subjectImages = await db.image.findMany({ where: { subjectId }, select: { id: true } });
  const exports = await affectedExports(subjectImages.map((image) => image.id));
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
