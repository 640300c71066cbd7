// GET /api/projects/{projectId}/coverage – hand counts per dimension, a two-way table, targets with gaps and the shot list (managers)
import { NextResponse } from "next/server";
import { projectRoute } from "@/lib/server/http/api-route";
import { getCoverage, parseCoverageQuery } from "@/lib/server/coverage/coverage-report";

export const GET = projectRoute({ permission: "subjects.view" }, async ({ request, params }) =>
  NextResponse.json(await getCoverage(params.projectId, parseCoverageQuery(request.url))),
);
