// GET /api/projects/{projectId}/subjects/{subjectId} – subject, consent history, what it allows now; PATCH – edit demographics
import { NextResponse } from "next/server";
import { ZUpdateSubject } from "@/lib/subjects/schema";
import { requireProjectPermission } from "@/lib/server/auth/authorize";
import { parseJson, route } from "@/lib/server/http/route";
import { updateSubject } from "@/lib/server/subjects/subjects";
import { getSubjectDetail } from "@/lib/server/subjects/subject-detail";

type TParams = { projectId: string; subjectId: string };

export const GET = route<TParams>(async (_request, { params }) => {
  await requireProjectPermission(params.projectId, "subjects.view");
  return NextResponse.json(await getSubjectDetail(params.projectId, params.subjectId));
});

export const PATCH = route<TParams>(async (request, { params }) => {
  const { user } = await requireProjectPermission(params.projectId, "consent.manage");
  const change = await parseJson(request, ZUpdateSubject);
  return NextResponse.json({ subject: await updateSubject(params.projectId, params.subjectId, change, user.id) });
});
