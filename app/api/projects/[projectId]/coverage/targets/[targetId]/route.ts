// PUT /api/projects/{projectId}/coverage/targets/{targetId} – replace a target; DELETE – remove it (managers)
import { NextResponse } from "next/server";
import { ZTargetInput } from "@/lib/coverage/targets";
import { requireProjectPermission } from "@/lib/server/auth/authorize";
import { parseJson, route } from "@/lib/server/http/route";
import { deleteTarget, updateTarget } from "@/lib/server/coverage/coverage-targets";

type TParams = { projectId: string; targetId: string };

export const PUT = route<TParams>(async (request, { params }) => {
  const { user } = await requireProjectPermission(params.projectId, "project.manage");
  const input = await parseJson(request, ZTargetInput);
  return NextResponse.json({ target: await updateTarget(params.projectId, params.targetId, input, user.id) });
});

export const DELETE = route<TParams>(async (_request, { params }) => {
  const { user } = await requireProjectPermission(params.projectId, "project.manage");
  await deleteTarget(params.projectId, params.targetId, user.id);
  return new Response(null, { status: 204 });
});
