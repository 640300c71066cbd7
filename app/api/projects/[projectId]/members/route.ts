// GET /api/projects/{projectId}/members – members and roles; POST – add a person by email (manager)
import { NextResponse } from "next/server";
import { ZAddMember } from "@/lib/project/schema";
import { requireProjectPermission } from "@/lib/server/auth/authorize";
import { parseJson, route } from "@/lib/server/http/route";
import { addMemberByEmail, listMembers } from "@/lib/server/projects/members";

type TParams = { projectId: string };

export const GET = route<TParams>(async (_request, { params }) => {
  await requireProjectPermission(params.projectId, "members.view");
  return NextResponse.json({ members: await listMembers(params.projectId) });
});

export const POST = route<TParams>(async (request, { params }) => {
  const { user } = await requireProjectPermission(params.projectId, "members.manage");
  const { email, roles } = await parseJson(request, ZAddMember);
  return NextResponse.json({ member: await addMemberByEmail(params.projectId, email, roles, user.id) }, { status: 201 });
});
