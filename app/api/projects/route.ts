// GET /api/projects – the projects I may see; POST /api/projects – create a project
import { NextResponse } from "next/server";
import { ZCreateProject } from "@/lib/project/schema";
import { userRoute } from "@/lib/server/http/api-route";
import { parseJson } from "@/lib/server/http/route";
import { createProject } from "@/lib/server/projects/create-project";
import { listProjectsFor } from "@/lib/server/projects/list-projects";

export const GET = userRoute(async ({ user }) => {
  return NextResponse.json({ projects: await listProjectsFor(user) });
});

// Who may start a project (admins, managers) is decided inside createProject.
export const POST = userRoute(async ({ request, user }) => {
  const input = await parseJson(request, ZCreateProject);
  return NextResponse.json({ project: await createProject(input, user) }, { status: 201 });
});
