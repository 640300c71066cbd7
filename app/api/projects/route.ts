// GET /api/projects – the projects I may see; POST /api/projects – create a project
import { NextResponse } from "next/server";
import { ZCreateProject } from "@/lib/project/schema";
import { requireUser } from "@/lib/server/auth/authorize";
import { parseJson, route } from "@/lib/server/http/route";
import { createProject } from "@/lib/server/projects/create-project";
import { listProjectsFor } from "@/lib/server/projects/list-projects";

export const GET = route(async () => {
  const user = await requireUser();
  return NextResponse.json({ projects: await listProjectsFor(user) });
});

export const POST = route(async (request) => {
  const user = await requireUser();
  const input = await parseJson(request, ZCreateProject);
  return NextResponse.json({ project: await createProject(input, user) }, { status: 201 });
});
