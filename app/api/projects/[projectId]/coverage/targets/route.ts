// GET /api/projects/{projectId}/coverage/targets – the project's coverage targets; POST – add one (managers)
import { NextResponse } from "next/server";
import { ZTargetInput } from "@/lib/coverage/targets";
import { projectRoute } from "@/lib/server/http/api-route";
import { parseJson } from "@/lib/server/http/route";
import { createTarget, listTargets } from "@/lib/server/coverage/coverage-targets";

export const GET = projectRoute({ permission: "subjects.view" }, async ({ params }) =>
  NextResponse.json({ targets: await listTargets(params.projectId) }),
);

export const POST = projectRoute({ permission: "project.manage" }, async ({ request, params, access }) => {
  const input = await parseJson(request, ZTargetInput);
  return NextResponse.json({ target: await createTarget(params.projectId, input, access.user.id) }, { status: 201 });
});
