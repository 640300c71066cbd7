// GET /api/projects/{projectId} – settings; PATCH – change settings (manager)
import { NextResponse } from "next/server";
import { ZUpdateProject } from "@/lib/project/schema";
import { requireProjectPermission } from "@/lib/server/auth/authorize";
import { parseJson, route } from "@/lib/server/http/route";
import { updateProject } from "@/lib/server/projects/create-project";
import { getProjectOrThrow } from "@/lib/server/projects/project-settings";

type TParams = { projectId: string };

export const GET = route<TParams>(async (_request, { params }) => {
  const { roles } = await requireProjectPermission(params.projectId, "project.view");
  return NextResponse.json({ project: await getProjectOrThrow(params.projectId), roles });
});

export const PATCH = route<TParams>(async (request, { params }) => {
  const { user } = await requireProjectPermission(params.projectId, "project.manage");
  const change = await parseJson(request, ZUpdateProject);
  await updateProject(params.projectId, change, user.id);
  return NextResponse.json({ project: await getProjectOrThrow(params.projectId) });
});
