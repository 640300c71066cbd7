// GET /api/projects/{projectId} – settings; PATCH – change settings (manager)
import { NextResponse } from "next/server";
import { ZUpdateProject } from "@/lib/project/schema";
import { projectRoute } from "@/lib/server/http/api-route";
import { parseJson } from "@/lib/server/http/route";
import { updateProject } from "@/lib/server/projects/create-project";
import { getProjectOrThrow } from "@/lib/server/projects/project-settings";

export const GET = projectRoute({ permission: "project.view" }, async ({ params, access }) => {
  return NextResponse.json({ project: await getProjectOrThrow(params.projectId), roles: access.roles });
});

export const PATCH = projectRoute({ permission: "project.manage" }, async ({ request, params, access }) => {
  const change = await parseJson(request, ZUpdateProject);
  await updateProject(params.projectId, change, access.user.id);
  return NextResponse.json({ project: await getProjectOrThrow(params.projectId) });
});
