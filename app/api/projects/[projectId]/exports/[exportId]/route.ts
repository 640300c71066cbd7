// GET /api/projects/{projectId}/exports/{exportId} – status, progress and summary of one export
import { NextResponse } from "next/server";
import { requireProjectPermission } from "@/lib/server/auth/authorize";
import { route } from "@/lib/server/http/route";
import { getExportOrThrow } from "@/lib/server/export/export-jobs";

export const GET = route<{ projectId: string; exportId: string }>(async (_request, { params }) => {
  await requireProjectPermission(params.projectId, "exports.create");
  const { archiveKey: _key, ...job } = await getExportOrThrow(params.projectId, params.exportId);
  return NextResponse.json({ export: job });
});
