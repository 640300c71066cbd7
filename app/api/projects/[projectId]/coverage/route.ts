// GET /api/projects/{projectId}/coverage – hand counts per dimension, a two-way table, targets with gaps and the shot list (managers)
import { NextResponse } from "next/server";
import { requireProjectPermission } from "@/lib/server/auth/authorize";
import { route } from "@/lib/server/http/route";
import { getCoverage, parseCoverageQuery } from "@/lib/server/coverage/coverage-report";

type TParams = { projectId: string };

export const GET = route<TParams>(async (request, { params }) => {
  await requireProjectPermission(params.projectId, "subjects.view");
  return NextResponse.json(await getCoverage(params.projectId, parseCoverageQuery(request.url)));
});
