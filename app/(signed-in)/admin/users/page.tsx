import { UserAdmin } from "@/components/users/user-admin";
import { requireAdmin } from "@/lib/server/auth/authorize";
import { guardPage } from "@/lib/server/http/page";
import { listUsers } from "@/lib/server/users/list-users";

export const metadata = { title: "Users" };

export default async function UsersPage() {
  const admin = await guardPage(requireAdmin());
  const users = await listUsers();
  return (
    <>
      <h1>Users</h1>
      <UserAdmin
        currentUserId={admin.id}
        initialUsers={users.map((user) => ({
          id: user.id, email: user.email, name: user.name, isAdmin: user.isAdmin,
          disabledAt: user.disabledAt?.toISOString() ?? null,
          lastLoginAt: user.lastLoginAt?.toISOString() ?? null,
        }))}
      />
    </>
  );
}
