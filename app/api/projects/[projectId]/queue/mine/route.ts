// GET /api/projects/{projectId}/queue/mine – the signed-in annotator's drafts, submitted and returned work in this project
import { NextResponse } from "next/server";
import { projectRoute } from "@/lib/server/http/api-route";
import { listMyWork } from "@/lib/server/annotations/list-my-work";

export const GET = projectRoute({ permission: "annotations.write" }, async ({ params, access }) => {
  return NextResponse.json(await listMyWork(params.projectId, access.user.id));
});
