// GET /api/projects/{projectId}/exports/{exportId}/download – the finished zip (managers; audit-logged)
import { Readable } from "node:stream";
import { AppError } from "@/lib/errors/app-error";
import { projectRoute } from "@/lib/server/http/api-route";
import { getExportOrThrow } from "@/lib/server/export/export-jobs";
import { recordAuditEvent } from "@/lib/server/audit/record-audit-event";
import { storage } from "@/lib/server/storage/storage";

export const GET = projectRoute<{ projectId: string; exportId: string }>({ permission: "exports.create" }, async ({ params, access }) => {
  const job = await getExportOrThrow(params.projectId, params.exportId);
  if (job.status !== "done" || !job.archiveKey) throw new AppError("conflict", `The export is ${job.status}, not ready to download`);
  // Streamed: an archive of a large project never sits whole in memory.
  const stream = await storage().getStream(job.archiveKey);
  await recordAuditEvent({ actorId: access.user.id, projectId: params.projectId, action: "export.downloaded", targetType: "export", targetId: job.id });
  return new Response(Readable.toWeb(stream) as ReadableStream, {
    headers: {
      "content-type": "application/zip",
      "content-disposition": `attachment; filename="phalanx-export-${job.id}.zip"`,
      "cache-control": "private, no-store",
    },
  });
});
