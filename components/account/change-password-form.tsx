"use client";

import { useRouter } from "next/navigation";
import { useState } from "react";
import { callApi } from "@/components/forms/call-api";
import { FieldError, FormError, FormNotice } from "@/components/forms/form-status";

export function ChangePasswordForm() {
  const router = useRouter();
  const [error, setError] = useState<string | null>(null);
  const [fields, setFields] = useState<Record<string, string>>({});
  const [done, setDone] = useState(false);

  async function onSubmit(event: React.FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const formElement = event.currentTarget;
    const form = new FormData(formElement);
    const result = await callApi("POST", "/api/account/password", {
      currentPassword: form.get("currentPassword"),
      newPassword: form.get("newPassword"),
    });
    if (!result.ok) {
      setError(result.error);
      setFields(result.fields);
      return;
    }
    setError(null);
    setFields({});
    setDone(true);
    formElement.reset();
    router.refresh();
  }

  return (
    <form className="form" onSubmit={onSubmit} aria-label="Change password" noValidate>
      <label>
        Current password
        <input
          name="currentPassword"
          type="password"
          autoComplete="current-password"
          data-testid="account-current-password"
        />
      </label>
      <FieldError id="current-password-error" message={fields.currentPassword} />
      <label>
        New password (at least 10 characters)
        <input name="newPassword" type="password" autoComplete="new-password" data-testid="account-new-password" />
      </label>
      <FieldError id="new-password-error" message={fields.newPassword} />
      <FormError message={error} testId="account-error" />
      {done && <FormNotice testId="account-saved">Your password was changed.</FormNotice>}
      <button className="primary" type="submit" data-testid="account-submit">
        Change password
      </button>
    </form>
  );
}
