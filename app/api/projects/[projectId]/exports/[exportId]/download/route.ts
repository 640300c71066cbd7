// GET /api/projects/{projectId}/exports/{exportId}/download – the finished zip (managers; audit-logged; 410 once revoked)
import { Readable } from "node:stream";
import { requireProjectPermission } from "@/lib/server/auth/authorize";
import { route } from "@/lib/server/http/route";
import { openExportDownload } from "@/lib/server/export/download-export";

export const GET = route<{ projectId: string; exportId: string }>(async (_request, { params }) => {
  const { user } = await requireProjectPermission(params.projectId, "exports.create");
  // Streamed: an archive of a large project never sits whole in memory.
  const { id, stream } = await openExportDownload(params.projectId, params.exportId, user.id);
  return new Response(Readable.toWeb(stream) as ReadableStream, {
    headers: {
      "content-type": "application/zip",
      "content-disposition": `attachment; filename="phalanx-export-${id}.zip"`,
      "cache-control": "private, no-store",
    },
  });
});
