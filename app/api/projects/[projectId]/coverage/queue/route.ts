// PUT /api/projects/{projectId}/coverage/queue – { queueCoverageFirst }: hand out images that fill open targets first (managers)
import { NextResponse } from "next/server";
import { projectRoute } from "@/lib/server/http/api-route";
import { parseJson } from "@/lib/server/http/route";
import { setQueueCoverageFirst, ZQueueSetting } from "@/lib/server/coverage/queue-priority";

export const PUT = projectRoute({ permission: "project.manage" }, async ({ request, params, access }) => {
  const { queueCoverageFirst } = await parseJson(request, ZQueueSetting);
  return NextResponse.json(await setQueueCoverageFirst(params.projectId, queueCoverageFirst, access.user.id));
});
