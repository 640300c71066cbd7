// GET /api/projects/{projectId}/subjects/{subjectId} – subject, consent history, what it allows now; PATCH – edit demographics
import { NextResponse } from "next/server";
import { ZUpdateSubject } from "@/lib/subjects/schema";
import { projectRoute } from "@/lib/server/http/api-route";
import { parseJson } from "@/lib/server/http/route";
import { updateSubject } from "@/lib/server/subjects/subjects";
import { getSubjectDetail } from "@/lib/server/subjects/subject-detail";

type TParams = { projectId: string; subjectId: string };

export const GET = projectRoute<TParams>({ permission: "subjects.view" }, async ({ params }) => {
  return NextResponse.json(await getSubjectDetail(params.projectId, params.subjectId));
});

export const PATCH = projectRoute<TParams>({ permission: "consent.manage" }, async ({ request, params, access }) => {
  const change = await parseJson(request, ZUpdateSubject);
  return NextResponse.json({
    subject: await updateSubject(params.projectId, params.subjectId, change, access.user.id),
  });
});
