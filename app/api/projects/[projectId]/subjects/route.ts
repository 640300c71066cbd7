// GET /api/projects/{projectId}/subjects?q= – list and search subjects; POST – create one (managers)
import { NextResponse } from "next/server";
import { ZSubjectInput } from "@/lib/subjects/schema";
import { projectRoute } from "@/lib/server/http/api-route";
import { parseJson } from "@/lib/server/http/route";
import { createSubject, listSubjects } from "@/lib/server/subjects/subjects";

export const GET = projectRoute({ permission: "subjects.view" }, async ({ request, params }) => {
  const search = new URL(request.url).searchParams.get("q") ?? undefined;
  return NextResponse.json({ subjects: await listSubjects(params.projectId, search) });
});

export const POST = projectRoute({ permission: "consent.manage" }, async ({ request, params, access }) => {
  const input = await parseJson(request, ZSubjectInput);
  return NextResponse.json({ subject: await createSubject(params.projectId, input, access.user.id) }, { status: 201 });
});
