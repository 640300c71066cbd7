"use client";

import { useRouter } from "next/navigation";
import { useState } from "react";
import { callApi } from "@/components/forms/call-api";
import { FormError, FormNotice } from "@/components/forms/form-status";
import { CONSENT_SCOPES, SCOPE_LABELS } from "@/lib/consent/schema";

/** Adds a consent text version; texts are immutable, so a change is always a new version. */
export function ConsentTextForm({ projectId }: { projectId: string }) {
  const router = useRouter();
  const [error, setError] = useState<string | null>(null);
  const [created, setCreated] = useState<string | null>(null);

  async function onSubmit(event: React.FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const formElement = event.currentTarget;
    const form = new FormData(formElement);
    const result = await callApi<{ consentText: { version: string; sha256: string } }>(
      "POST",
      `/api/projects/${projectId}/consent-texts`,
      {
        version: form.get("version"),
        body: form.get("body"),
        biometricNotice: form.get("biometricNotice"),
        scopes: form.getAll("scopes"),
      },
    );
    if (!result.ok)
      return setError(
        result.error + (Object.keys(result.fields).length ? ` (${Object.values(result.fields).join("; ")})` : ""),
      );
    setError(null);
    setCreated(
      `Version ${result.data.consentText.version} saved (sha256 ${result.data.consentText.sha256.slice(0, 12)}…)`,
    );
    formElement.reset();
    router.refresh();
  }

  return (
    <form className="form card" onSubmit={onSubmit} aria-label="New consent text version">
      <label>
        Version label
        <input
          name="version"
          required
          maxLength={40}
          placeholder="e.g. 2026-11 v1"
          data-testid="consent-text-version"
        />
      </label>
      <label>
        Full text, exactly as the subject reads it
        <textarea name="body" required rows={6} data-testid="consent-text-body" />
      </label>
      <label>
        Biometric notice
        <textarea
          name="biometricNotice"
          required
          rows={3}
          data-testid="consent-text-notice"
          defaultValue="Photographs of hands can reveal fingerprints, which are biometric data. They are kept for at most three years after your last interaction with us and deleted earlier if you withdraw."
        />
      </label>
      <fieldset className="row" style={{ border: 0, padding: 0 }}>
        <legend className="muted">Scopes this text asks for</legend>
        {CONSENT_SCOPES.map((scope) => (
          <label key={scope} className="inline">
            <input
              type="checkbox"
              name="scopes"
              value={scope}
              defaultChecked={scope === "annotation"}
              data-testid={`consent-text-scope-${scope}`}
            />
            {SCOPE_LABELS[scope]}
          </label>
        ))}
      </fieldset>
      <FormError message={error} testId="consent-text-error" />
      {created && <FormNotice testId="consent-text-created">{created}</FormNotice>}
      <div>
        <button className="primary" type="submit" data-testid="consent-text-submit">
          Save version
        </button>
      </div>
    </form>
  );
}
