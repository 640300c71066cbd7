// GET /api/projects/{projectId}/exports/{exportId}/download – the finished zip (managers; audit-logged; 410 once revoked)
import { Readable } from "node:stream";
import { projectRoute } from "@/lib/server/http/api-route";
import { openExportDownload } from "@/lib/server/export/download-export";

export const GET = projectRoute<{ projectId: string; exportId: string }>(
  { permission: "exports.create" },
  async ({ params, access }) => {
    // Streamed: an archive of a large project never sits whole in memory.
    const { id, stream } = await openExportDownload(params.projectId, params.exportId, access.user.id);
    return new Response(Readable.toWeb(stream) as ReadableStream, {
      headers: {
        "content-type": "application/zip",
        "content-disposition": `attachment; filename="phalanx-export-${id}.zip"`,
        "cache-control": "private, no-store",
      },
    });
  },
);
