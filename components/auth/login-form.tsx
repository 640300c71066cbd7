"use client";

import { useRouter, useSearchParams } from "next/navigation";
import { useState } from "react";
import { callApi } from "@/components/forms/call-api";
import { FormError } from "@/components/forms/form-status";

export function LoginForm() {
  const router = useRouter();
  const next = useSearchParams().get("next");
  const [error, setError] = useState<string | null>(null);
  const [pending, setPending] = useState(false);

  async function onSubmit(event: React.FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    setPending(true);
    setError(null);
    const result = await callApi("POST", "/api/session", { email: form.get("email"), password: form.get("password") });
    setPending(false);
    if (!result.ok) return setError(result.error);
    // Only same-site paths: never follow an absolute URL from the query string.
    router.replace(next?.startsWith("/") && !next.startsWith("//") ? next : "/projects");
    router.refresh();
  }

  return (
    <form className="form" onSubmit={onSubmit} aria-label="Sign in">
      <label>
        Email
        <input name="email" type="email" autoComplete="username" required autoFocus data-testid="login-email" />
      </label>
      <label>
        Password
        <input name="password" type="password" autoComplete="current-password" required data-testid="login-password" />
      </label>
      <FormError message={error} testId="login-error" />
      <button className="primary" type="submit" disabled={pending} data-testid="login-submit">
        {pending ? "Signing in…" : "Sign in"}
      </button>
    </form>
  );
}
