// PUT /api/projects/{projectId}/coverage/queue – { queueCoverageFirst }: hand out images that fill open targets first (managers)
import { NextResponse } from "next/server";
import { requireProjectPermission } from "@/lib/server/auth/authorize";
import { parseJson, route } from "@/lib/server/http/route";
import { setQueueCoverageFirst, ZQueueSetting } from "@/lib/server/coverage/queue-priority";

type TParams = { projectId: string };

export const PUT = route<TParams>(async (request, { params }) => {
  const { user } = await requireProjectPermission(params.projectId, "project.manage");
  const { queueCoverageFirst } = await parseJson(request, ZQueueSetting);
  return NextResponse.json(await setQueueCoverageFirst(params.projectId, queueCoverageFirst, user.id));
});
