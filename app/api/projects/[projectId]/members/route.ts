// GET /api/projects/{projectId}/members – members and roles; POST – add a person by email (manager)
import { NextResponse } from "next/server";
import { ZAddMember } from "@/lib/project/schema";
import { projectRoute } from "@/lib/server/http/api-route";
import { parseJson } from "@/lib/server/http/route";
import { addMemberByEmail, listMembers } from "@/lib/server/projects/members";

export const GET = projectRoute({ permission: "members.view" }, async ({ params }) => {
  return NextResponse.json({ members: await listMembers(params.projectId) });
});

export const POST = projectRoute({ permission: "members.manage" }, async ({ request, params, access }) => {
  const { email, roles } = await parseJson(request, ZAddMember);
  return NextResponse.json(
    { member: await addMemberByEmail(params.projectId, email, roles, access.user.id) },
    { status: 201 },
  );
});
