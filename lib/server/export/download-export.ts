import "server-only";
import type { Readable } from "node:stream";
import { AppError } from "@/lib/errors/app-error";
import { db } from "@/lib/server/db";
import { recordAuditEvent } from "@/lib/server/audit/record-audit-event";
import { storage } from "@/lib/server/storage/storage";

/**
 * Opens a finished export's archive for one person (the caller has authorised them). A revoked export
 * answers 410 with its reason and date, whatever the path. Every download is an audit event naming
 * who, when and which archive: those events are the recipient list a withdrawal must reach.
 */
export async function openExportDownload(
  projectId: string,
  exportId: string,
  actorId: string,
): Promise<{ id: string; stream: Readable }> {
  const job = await db.export.findFirst({
    where: { id: exportId, projectId },
    select: { id: true, status: true, archiveKey: true, revokedAt: true, revokedReason: true },
  });
  if (!job) throw new AppError("not_found", "No such export");
  if (job.revokedAt) throw exportRevoked(job.revokedAt, job.revokedReason);
  if (job.status !== "done" || !job.archiveKey)
    throw new AppError("conflict", `The export is ${job.status}, not ready to download`);
  const stream = await storage().getStream(job.archiveKey);
  await recordAuditEvent({
    actorId,
    projectId,
    action: "export.downloaded",
    targetType: "export",
    targetId: job.id,
    details: { archiveKey: job.archiveKey },
  });
  return { id: job.id, stream };
}

export function exportRevoked(revokedAt: Date, reason: string | null): AppError {
  const day = revokedAt.toISOString().slice(0, 10);
  return new AppError(
    "gone",
    `This export was revoked on ${day}${reason ? `: ${reason}` : ""}. Rebuild it without the withdrawn subjects, and tell everyone who downloaded it to delete their copy.`,
    { revokedAt: revokedAt.toISOString(), revokedReason: reason ?? "" },
  );
}
