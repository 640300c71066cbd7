"use client";

import { useState } from "react";
import { callApi } from "@/components/forms/call-api";
import { FormError, FormNotice } from "@/components/forms/form-status";

type TToken = {
  id: string;
  name: string;
  prefix: string;
  createdAt: string;
  lastUsedAt: string | null;
  expiresAt: string | null;
  revokedAt: string | null;
};

/** Personal API tokens for scripts: created here (shown once), revoked here. */
export function ApiTokens({ initialTokens }: { initialTokens: TToken[] }) {
  const [tokens, setTokens] = useState(initialTokens);
  const [error, setError] = useState<string | null>(null);
  const [created, setCreated] = useState<string | null>(null);

  async function onCreate(event: React.FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const formElement = event.currentTarget;
    const form = new FormData(formElement);
    const days = String(form.get("expiresInDays") ?? "");
    const result = await callApi<{ token: TToken & { token: string } }>("POST", "/api/account/tokens", {
      name: form.get("name"),
      expiresInDays: days ? Number(days) : undefined,
    });
    if (!result.ok) return setError(result.error);
    const { token, ...row } = result.data.token;
    setTokens((list) => [{ ...row, lastUsedAt: null, revokedAt: null }, ...list]);
    setCreated(token);
    setError(null);
    formElement.reset();
  }

  async function revoke(id: string) {
    const result = await callApi("DELETE", `/api/account/tokens/${id}`);
    if (!result.ok) return setError(result.error);
    setTokens((list) => list.map((t) => (t.id === id ? { ...t, revokedAt: new Date().toISOString() } : t)));
  }

  return (
    <div className="stack">
      <form className="row" onSubmit={onCreate} aria-label="New API token">
        <label>
          Name
          <input name="name" required placeholder="nightly-upload script" data-testid="token-name" />
        </label>
        <label>
          Expires after (days, optional)
          <input name="expiresInDays" type="number" min={1} max={3650} data-testid="token-days" />
        </label>
        <button className="primary" type="submit" data-testid="token-create">
          Create token
        </button>
      </form>
      <FormError message={error} testId="token-error" />
      {created && (
        <FormNotice testId="token-created">
          Your new token — copy it now, it is never shown again:{" "}
          <span className="secret" data-testid="token-value">
            {created}
          </span>
          <div className="muted">
            Send it as <code>Authorization: Bearer …</code> to the /api/v1 endpoints (see the README).
          </div>
        </FormNotice>
      )}
      {tokens.length === 0 ? (
        <p className="muted">No tokens yet.</p>
      ) : (
        <table data-testid="token-table">
          <thead>
            <tr>
              <th>Name</th>
              <th>Starts with</th>
              <th>Created</th>
              <th>Last used</th>
              <th>State</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {tokens.map((t) => (
              <tr key={t.id} data-testid="token-row">
                <td>{t.name}</td>
                <td>
                  <code>{t.prefix}…</code>
                </td>
                <td>{new Date(t.createdAt).toLocaleDateString()}</td>
                <td>{t.lastUsedAt ? new Date(t.lastUsedAt).toLocaleString() : "never"}</td>
                <td>
                  {t.revokedAt ? "revoked" : t.expiresAt && new Date(t.expiresAt) < new Date() ? "expired" : "active"}
                </td>
                <td>
                  {!t.revokedAt && (
                    <button type="button" className="danger" onClick={() => revoke(t.id)} data-testid="token-revoke">
                      Revoke
                    </button>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </div>
  );
}
