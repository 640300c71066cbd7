// POST /api/projects/{projectId}/corrections – a manager fixes accepted labels (recorded as a review round)
import { NextResponse } from "next/server";
import { ZLabelCorrection } from "@/lib/review/schema";
import { projectRoute } from "@/lib/server/http/api-route";
import { parseJson } from "@/lib/server/http/route";
import { correctAcceptedLabels } from "@/lib/server/review/correct-labels";

export const POST = projectRoute({ permission: "project.manage" }, async ({ request, params, access }) => {
  const correction = await parseJson(request, ZLabelCorrection);
  return NextResponse.json(await correctAcceptedLabels(params.projectId, access.user.id, correction));
});
