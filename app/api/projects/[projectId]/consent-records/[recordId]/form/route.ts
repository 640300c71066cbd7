// GET /api/projects/{projectId}/consent-records/{recordId}/form – the signed form (managers; audit-logged)
import { AppError } from "@/lib/errors/app-error";
import { requireProjectPermission } from "@/lib/server/auth/authorize";
import { route } from "@/lib/server/http/route";
import { db } from "@/lib/server/db";
import { recordAuditEvent } from "@/lib/server/audit/record-audit-event";
import { storage } from "@/lib/server/storage/storage";

type TParams = { projectId: string; recordId: string };

export const GET = route<TParams>(async (_request, { params }) => {
  const { user } = await requireProjectPermission(params.projectId, "consent.manage");
  const record = await db.consentRecord.findFirst({
    where: { id: params.recordId, subject: { projectId: params.projectId } },
    select: { formStorageKey: true, formMimeType: true, subjectId: true },
  });
  if (!record?.formStorageKey) throw new AppError("not_found", "No signed form for this record");
  const bytes = await storage().get(record.formStorageKey);
  await recordAuditEvent({ actorId: user.id, projectId: params.projectId, action: "consent.form_viewed", targetType: "consent_record", targetId: params.recordId });
  return new Response(new Uint8Array(bytes), {
    headers: { "content-type": record.formMimeType ?? "application/octet-stream", "cache-control": "private, no-store", "content-disposition": "inline" },
  });
});
