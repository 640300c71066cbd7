import "server-only";
import { AppError } from "@/lib/errors/app-error";
import { db } from "@/lib/server/db";
import { recordAuditEvent } from "@/lib/server/audit/record-audit-event";
import { storage } from "@/lib/server/storage/storage";

/** The signed form of a consent record of the project, for a consent manager; each read is an audit event. */
export async function readSignedForm(
  projectId: string,
  recordId: string,
  actorId: string,
): Promise<{ bytes: Buffer; mimeType: string }> {
  const record = await db.consentRecord.findFirst({
    where: { id: recordId, subject: { projectId } },
    select: { formStorageKey: true, formMimeType: true },
  });
  if (!record?.formStorageKey) throw new AppError("not_found", "No signed form for this record");
  const bytes = await storage().get(record.formStorageKey);
  await recordAuditEvent({
    actorId,
    projectId,
    action: "consent.form_viewed",
    targetType: "consent_record",
    targetId: recordId,
  });
  return { bytes, mimeType: record.formMimeType ?? "application/octet-stream" };
}
