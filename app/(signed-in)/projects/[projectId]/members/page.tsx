import { MemberManager } from "@/components/projects/member-manager";
import { PROJECT_ROLES } from "@/lib/auth/permissions";
import { projectPage } from "@/lib/server/http/page";
import { listMembers } from "@/lib/server/projects/members";
import { permissionsOf } from "@/lib/auth/permissions";

export const metadata = { title: "Members" };

export default projectPage(
  { permission: "members.view" },
  async function MembersPage({ params: { projectId }, access: { user, roles } }) {
    const members = await listMembers(projectId);
    const canManage = permissionsOf(user, roles).includes("members.manage");
    if (canManage) return <MemberManager projectId={projectId} initialMembers={members} currentUserId={user.id} />;
    return (
      <table data-testid="member-table">
        <thead>
          <tr>
            <th>Name</th>
            <th>Email</th>
            <th>Roles</th>
          </tr>
        </thead>
        <tbody>
          {members.map((member) => (
            <tr key={member.userId} data-testid="member-row">
              <td>{member.name}</td>
              <td>{member.email}</td>
              <td>{PROJECT_ROLES.filter((role) => member.roles.includes(role)).join(", ")}</td>
            </tr>
          ))}
        </tbody>
      </table>
    );
  },
);
