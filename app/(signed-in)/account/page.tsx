import { ChangePasswordForm } from "@/components/account/change-password-form";
import { requireUser } from "@/lib/server/auth/authorize";
import { guardPage } from "@/lib/server/http/page";

export const metadata = { title: "Account" };

export default async function AccountPage() {
  const user = await guardPage(requireUser());
  return (
    <>
      <h1>Account</h1>
      <p className="muted">{user.name} · {user.email}{user.isAdmin ? " · administrator" : ""}</p>
      <h2>Password</h2>
      <ChangePasswordForm />
    </>
  );
}
