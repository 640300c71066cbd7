import { redirect } from "next/navigation";
import { Suspense } from "react";
import { LoginForm } from "@/components/auth/login-form";
import { currentUser } from "@/lib/server/auth/current-user";
import { publicPage } from "@/lib/server/http/page";

export const metadata = { title: "Sign in" };

export default publicPage({ reason: "the sign-in form, for people without a session" }, async function LoginPage() {
  if (await currentUser()) redirect("/projects");
  return (
    <main className="auth-shell">
      <div className="card stack">
        <h1>Phalanx</h1>
        <p className="muted">Sign in to label, review and export hand-pose data.</p>
        <Suspense>
          <LoginForm />
        </Suspense>
      </div>
    </main>
  );
});
