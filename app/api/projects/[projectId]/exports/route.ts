// GET /api/projects/{projectId}/exports – exports with status and progress; POST – queue a new export (managers)
import { NextResponse } from "next/server";
import { ZExportOptions } from "@/lib/export/options";
import { projectRoute } from "@/lib/server/http/api-route";
import { parseJson } from "@/lib/server/http/route";
import { listExports, requestExport } from "@/lib/server/export/export-jobs";

export const GET = projectRoute({ permission: "exports.create" }, async ({ params }) => {
  return NextResponse.json({ exports: await listExports(params.projectId) });
});

export const POST = projectRoute({ permission: "exports.create" }, async ({ request, params, access }) => {
  const options = await parseJson(request, ZExportOptions);
  return NextResponse.json({ export: await requestExport(params.projectId, options, access.user.id) }, { status: 202 });
});
