// GET /api/projects/{projectId}/subjects?q= – list and search subjects; POST – create one (managers)
import { NextResponse } from "next/server";
import { ZSubjectInput } from "@/lib/subjects/schema";
import { requireProjectPermission } from "@/lib/server/auth/authorize";
import { parseJson, route } from "@/lib/server/http/route";
import { createSubject, listSubjects } from "@/lib/server/subjects/subjects";

type TParams = { projectId: string };

export const GET = route<TParams>(async (request, { params }) => {
  await requireProjectPermission(params.projectId, "subjects.view");
  const search = new URL(request.url).searchParams.get("q") ?? undefined;
  return NextResponse.json({ subjects: await listSubjects(params.projectId, search) });
});

export const POST = route<TParams>(async (request, { params }) => {
  const { user } = await requireProjectPermission(params.projectId, "consent.manage");
  const input = await parseJson(request, ZSubjectInput);
  return NextResponse.json({ subject: await createSubject(params.projectId, input, user.id) }, { status: 201 });
});
