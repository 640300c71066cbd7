// GET /api/projects/{projectId}/exports/{exportId} – status, progress and summary of one export
import { NextResponse } from "next/server";
import { projectRoute } from "@/lib/server/http/api-route";
import { getExportOrThrow } from "@/lib/server/export/export-jobs";

export const GET = projectRoute<{ projectId: string; exportId: string }>(
  { permission: "exports.create" },
  async ({ params }) => {
    const { archiveKey: _key, ...job } = await getExportOrThrow(params.projectId, params.exportId);
    return NextResponse.json({ export: job });
  },
);
