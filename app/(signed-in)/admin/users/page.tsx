import { UserAdmin } from "@/components/users/user-admin";
import { adminPage } from "@/lib/server/http/page";
import { listUsers } from "@/lib/server/users/list-users";

export const metadata = { title: "Users" };

export default adminPage(async function UsersPage({ admin }) {
  const users = await listUsers();
  return (
    <>
      <h1>Users</h1>
      <UserAdmin
        currentUserId={admin.id}
        initialUsers={users.map((user) => ({
          id: user.id,
          email: user.email,
          name: user.name,
          isAdmin: user.isAdmin,
          disabledAt: user.disabledAt?.toISOString() ?? null,
          lastLoginAt: user.lastLoginAt?.toISOString() ?? null,
        }))}
      />
    </>
  );
});
