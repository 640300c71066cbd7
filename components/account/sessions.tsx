"use client";

import { useRouter } from "next/navigation";
import { useState } from "react";
import { callApi } from "@/components/forms/call-api";
import { FormError } from "@/components/forms/form-status";

export type TSessionRow = { id: string; userAgent: string; createdAt: string; lastSeenAt: string; current: boolean };

/** The person's signed-in sessions, and one button that ends them all (this one too). */
export function Sessions({ sessions }: { sessions: TSessionRow[] }) {
  const router = useRouter();
  const [error, setError] = useState<string | null>(null);
  const [pending, setPending] = useState(false);

  async function signOutEverywhere() {
    setPending(true);
    const result = await callApi("DELETE", "/api/account/sessions");
    setPending(false);
    if (!result.ok) return setError(result.error);
    router.replace("/login");
    router.refresh();
  }

  return (
    <>
      <p className="muted">
        Signed in on {sessions.length} {sessions.length === 1 ? "browser" : "browsers"}. Changing your password signs
        out every other one.
      </p>
      <ul data-testid="account-sessions">
        {sessions.map((session) => (
          <li key={session.id} data-testid="account-session">
            {session.userAgent || "Unknown browser"} · signed in {new Date(session.createdAt).toLocaleString()} · last
            seen {new Date(session.lastSeenAt).toLocaleString()}
            {session.current && <strong> (this browser)</strong>}
          </li>
        ))}
      </ul>
      <FormError message={error} testId="account-sessions-error" />
      <button type="button" onClick={signOutEverywhere} disabled={pending} data-testid="signout-everywhere">
        {pending ? "Signing out…" : "Sign out everywhere"}
      </button>
    </>
  );
}
