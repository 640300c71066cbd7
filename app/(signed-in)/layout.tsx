import { redirect } from "next/navigation";
import { TopBar } from "@/components/layout/top-bar";
import { currentUser } from "@/lib/server/auth/current-user";

export default async function SignedInLayout({ children }: { children: React.ReactNode }) {
  const user = await currentUser();
  if (!user) redirect("/login");
  return (
    <>
      <TopBar user={user} />
      {user.mustChangePassword && (
        <div className="notice" role="status" style={{ margin: "var(--space-3) var(--space-5) 0" }}>
          You are using a password someone else set. <a href="/account">Choose your own password</a>.
        </div>
      )}
      <main className="page">{children}</main>
    </>
  );
}
