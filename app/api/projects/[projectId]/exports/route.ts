// GET /api/projects/{projectId}/exports – exports with status and progress; POST – queue a new export (managers)
import { NextResponse } from "next/server";
import { ZExportOptions } from "@/lib/export/options";
import { requireProjectPermission } from "@/lib/server/auth/authorize";
import { parseJson, route } from "@/lib/server/http/route";
import { listExports, requestExport } from "@/lib/server/export/export-jobs";

type TParams = { projectId: string };

export const GET = route<TParams>(async (_request, { params }) => {
  await requireProjectPermission(params.projectId, "exports.create");
  return NextResponse.json({ exports: await listExports(params.projectId) });
});

export const POST = route<TParams>(async (request, { params }) => {
  const { user } = await requireProjectPermission(params.projectId, "exports.create");
  const options = await parseJson(request, ZExportOptions);
  return NextResponse.json({ export: await requestExport(params.projectId, options, user.id) }, { status: 202 });
});
