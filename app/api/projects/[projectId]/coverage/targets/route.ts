// GET /api/projects/{projectId}/coverage/targets – the project's coverage targets; POST – add one (managers)
import { NextResponse } from "next/server";
import { ZTargetInput } from "@/lib/coverage/targets";
import { requireProjectPermission } from "@/lib/server/auth/authorize";
import { parseJson, route } from "@/lib/server/http/route";
import { createTarget, listTargets } from "@/lib/server/coverage/coverage-targets";

type TParams = { projectId: string };

export const GET = route<TParams>(async (_request, { params }) => {
  await requireProjectPermission(params.projectId, "subjects.view");
  return NextResponse.json({ targets: await listTargets(params.projectId) });
});

export const POST = route<TParams>(async (request, { params }) => {
  const { user } = await requireProjectPermission(params.projectId, "project.manage");
  const input = await parseJson(request, ZTargetInput);
  return NextResponse.json({ target: await createTarget(params.projectId, input, user.id) }, { status: 201 });
});
