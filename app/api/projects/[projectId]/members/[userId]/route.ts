// PUT /api/projects/{projectId}/members/{userId} – set a member's roles; DELETE – remove them (manager)
import { NextResponse } from "next/server";
import { AppError } from "@/lib/errors/app-error";
import { ZSetMemberRoles } from "@/lib/project/schema";
import { projectRoute } from "@/lib/server/http/api-route";
import { parseJson } from "@/lib/server/http/route";
import { listMembers, setMemberRoles } from "@/lib/server/projects/members";

type TParams = { projectId: string; userId: string };

async function requireMember(projectId: string, userId: string) {
  if (!(await listMembers(projectId)).some((member) => member.userId === userId)) {
    throw new AppError("not_found", "This person is not a member of the project");
  }
}

export const PUT = projectRoute<TParams>({ permission: "members.manage" }, async ({ request, params, access }) => {
  const { roles } = await parseJson(request, ZSetMemberRoles);
  await requireMember(params.projectId, params.userId);
  await setMemberRoles(params.projectId, params.userId, roles, access.user.id);
  return NextResponse.json({ members: await listMembers(params.projectId) });
});

export const DELETE = projectRoute<TParams>({ permission: "members.manage" }, async ({ params, access }) => {
  await requireMember(params.projectId, params.userId);
  await setMemberRoles(params.projectId, params.userId, [], access.user.id);
  return NextResponse.json({ members: await listMembers(params.projectId) });
});
