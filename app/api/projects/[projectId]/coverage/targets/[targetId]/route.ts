// PUT /api/projects/{projectId}/coverage/targets/{targetId} – replace a target; DELETE – remove it (managers)
import { NextResponse } from "next/server";
import { ZTargetInput } from "@/lib/coverage/targets";
import { projectRoute } from "@/lib/server/http/api-route";
import { parseJson } from "@/lib/server/http/route";
import { deleteTarget, updateTarget } from "@/lib/server/coverage/coverage-targets";

type TParams = { projectId: string; targetId: string };

export const PUT = projectRoute<TParams>({ permission: "project.manage" }, async ({ request, params, access }) => {
  const input = await parseJson(request, ZTargetInput);
  return NextResponse.json({ target: await updateTarget(params.projectId, params.targetId, input, access.user.id) });
});

export const DELETE = projectRoute<TParams>({ permission: "project.manage" }, async ({ params, access }) => {
  await deleteTarget(params.projectId, params.targetId, access.user.id);
  return new Response(null, { status: 204 });
});
