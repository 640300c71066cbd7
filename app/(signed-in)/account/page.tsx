import { ApiTokens } from "@/components/account/api-tokens";
import { ChangePasswordForm } from "@/components/account/change-password-form";
import { Sessions } from "@/components/account/sessions";
import { currentSessionId } from "@/lib/server/auth/current-credential";
import { listActiveSessions } from "@/lib/server/auth/sessions";
import { listApiTokens } from "@/lib/server/tokens/api-tokens";
import { userPage } from "@/lib/server/http/page";

export const metadata = { title: "Account" };

export default userPage(async function AccountPage({ user }) {
  const tokens = await listApiTokens(user.id);
  const [sessions, thisSession] = await Promise.all([listActiveSessions(user.id), currentSessionId()]);
  return (
    <>
      <h1>Account</h1>
      <p className="muted">
        {user.name} · {user.email}
        {user.isAdmin ? " · administrator" : ""}
      </p>
      <h2>Password</h2>
      <ChangePasswordForm />
      <h2>Sessions</h2>
      <Sessions
        sessions={sessions.map((s) => ({
          id: s.id,
          userAgent: s.userAgent,
          createdAt: s.createdAt.toISOString(),
          lastSeenAt: s.lastSeenAt.toISOString(),
          current: s.id === thisSession,
        }))}
      />
      <h2>API tokens</h2>
      <ApiTokens
        initialTokens={tokens.map((t) => ({
          ...t,
          createdAt: t.createdAt.toISOString(),
          lastUsedAt: t.lastUsedAt?.toISOString() ?? null,
          expiresAt: t.expiresAt?.toISOString() ?? null,
          revokedAt: t.revokedAt?.toISOString() ?? null,
        }))}
      />
    </>
  );
});
