// GET /api/projects/{projectId}/queue/mine – the signed-in annotator's drafts, submitted and returned work in this project
import { NextResponse } from "next/server";
import { requireProjectPermission } from "@/lib/server/auth/authorize";
import { route } from "@/lib/server/http/route";
import { listMyWork } from "@/lib/server/annotations/list-my-work";

export const GET = route<{ projectId: string }>(async (_request, { params }) => {
  const { user } = await requireProjectPermission(params.projectId, "annotations.write");
  return NextResponse.json(await listMyWork(params.projectId, user.id));
});
