// PUT /api/projects/{projectId}/members/{userId} – set a member's roles; DELETE – remove them (manager)
import { NextResponse } from "next/server";
import { AppError } from "@/lib/errors/app-error";
import { ZSetMemberRoles } from "@/lib/project/schema";
import { requireProjectPermission } from "@/lib/server/auth/authorize";
import { parseJson, route } from "@/lib/server/http/route";
import { listMembers, setMemberRoles } from "@/lib/server/projects/members";

type TParams = { projectId: string; userId: string };

async function requireMember(projectId: string, userId: string) {
  if (!(await listMembers(projectId)).some((member) => member.userId === userId)) {
    throw new AppError("not_found", "This person is not a member of the project");
  }
}

export const PUT = route<TParams>(async (request, { params }) => {
  const { user } = await requireProjectPermission(params.projectId, "members.manage");
  const { roles } = await parseJson(request, ZSetMemberRoles);
  await requireMember(params.projectId, params.userId);
  await setMemberRoles(params.projectId, params.userId, roles, user.id);
  return NextResponse.json({ members: await listMembers(params.projectId) });
});

export const DELETE = route<TParams>(async (_request, { params }) => {
  const { user } = await requireProjectPermission(params.projectId, "members.manage");
  await requireMember(params.projectId, params.userId);
  await setMemberRoles(params.projectId, params.userId, [], user.id);
  return NextResponse.json({ members: await listMembers(params.projectId) });
});
