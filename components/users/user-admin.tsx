"use client";

import { useState } from "react";
import { callApi } from "@/components/forms/call-api";
import { FieldError, FormError, FormNotice } from "@/components/forms/form-status";

export type TUserRow = {
  id: string;
  email: string;
  name: string;
  isAdmin: boolean;
  disabledAt: string | null;
  lastLoginAt: string | null;
};

/** Admin: create accounts (a generated password is shown once), disable, reset passwords, grant admin. */
export function UserAdmin({ initialUsers, currentUserId }: { initialUsers: TUserRow[]; currentUserId: string }) {
  const [users, setUsers] = useState(initialUsers);
  const [error, setError] = useState<string | null>(null);
  const [fields, setFields] = useState<Record<string, string>>({});
  const [oneTime, setOneTime] = useState<{ email: string; password: string } | null>(null);
  const [notice, setNotice] = useState<string | null>(null);

  const replace = (user: TUserRow) => setUsers((list) => list.map((u) => (u.id === user.id ? user : u)));

  async function onCreate(event: React.FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const formElement = event.currentTarget;
    const form = new FormData(formElement);
    const password = String(form.get("password") ?? "");
    const result = await callApi<{ user: TUserRow & { oneTimePassword?: string } }>("POST", "/api/users", {
      email: form.get("email"),
      name: form.get("name"),
      password: password || undefined,
      isAdmin: form.get("isAdmin") === "on",
    });
    if (!result.ok) {
      setError(result.error);
      setFields(result.fields);
      return;
    }
    const { oneTimePassword, ...user } = result.data.user;
    setUsers((list) =>
      [...list, { ...user, disabledAt: null, lastLoginAt: null }].sort((a, b) => a.email.localeCompare(b.email)),
    );
    setError(null);
    setFields({});
    setOneTime(oneTimePassword ? { email: user.email, password: oneTimePassword } : null);
    setNotice(`Account created for ${user.email}`);
    formElement.reset();
  }

  async function update(user: TUserRow, change: Record<string, unknown>, message: string) {
    const result = await callApi<{ user: TUserRow & { oneTimePassword?: string } }>(
      "PATCH",
      `/api/users/${user.id}`,
      change,
    );
    if (!result.ok) return setError(result.error);
    const { oneTimePassword, ...updated } = result.data.user;
    replace({ ...user, ...updated });
    setError(null);
    setOneTime(oneTimePassword ? { email: user.email, password: oneTimePassword } : null);
    setNotice(message);
  }

  return (
    <div className="stack">
      <form className="form card" onSubmit={onCreate} aria-label="Create user" noValidate>
        <h2 style={{ margin: 0 }}>New user</h2>
        <div className="row">
          <label>
            Email
            <input
              name="email"
              type="email"
              required
              data-testid="user-email"
              aria-invalid={!!fields.email || undefined}
            />
          </label>
          <label>
            Name
            <input name="name" required data-testid="user-name" aria-invalid={!!fields.name || undefined} />
          </label>
        </div>
        <FieldError id="user-email-error" message={fields.email ?? fields.name} />
        <label>
          Password (leave empty to generate one, shown once)
          <input
            name="password"
            type="password"
            autoComplete="new-password"
            data-testid="user-password"
            aria-invalid={!!fields.password || undefined}
          />
        </label>
        <FieldError id="user-password-error" message={fields.password} />
        <label className="inline">
          <input name="isAdmin" type="checkbox" data-testid="user-admin" /> Administrator
        </label>
        <button className="primary" type="submit" data-testid="user-create">
          Create user
        </button>
      </form>
      <FormError message={error} testId="user-error" />
      {notice && <FormNotice testId="user-notice">{notice}</FormNotice>}
      {oneTime && (
        <FormNotice testId="user-one-time-password">
          Password for {oneTime.email}:{" "}
          <span className="secret" data-testid="one-time-password">
            {oneTime.password}
          </span>{" "}
          — shown only now; they will be asked to change it.
        </FormNotice>
      )}
      <table data-testid="user-table">
        <thead>
          <tr>
            <th>Name</th>
            <th>Email</th>
            <th>Role</th>
            <th>Status</th>
            <th>Last sign-in</th>
            <th>Actions</th>
          </tr>
        </thead>
        <tbody>
          {users.map((user) => (
            <tr key={user.id} data-testid="user-row" data-email={user.email}>
              <td>{user.name}</td>
              <td>{user.email}</td>
              <td>{user.isAdmin ? <span className="badge">admin</span> : "user"}</td>
              <td>{user.disabledAt ? <span className="badge">disabled</span> : "active"}</td>
              <td className="muted">{user.lastLoginAt ? new Date(user.lastLoginAt).toLocaleString() : "never"}</td>
              <td className="row">
                {user.id !== currentUserId && (
                  <>
                    <button
                      type="button"
                      onClick={() =>
                        update(
                          user,
                          { disabled: !user.disabledAt },
                          `${user.email} ${user.disabledAt ? "enabled" : "disabled"}`,
                        )
                      }
                      data-testid="user-toggle-disabled"
                    >
                      {user.disabledAt ? "Enable" : "Disable"}
                    </button>
                    <button
                      type="button"
                      onClick={() =>
                        update(
                          user,
                          { isAdmin: !user.isAdmin },
                          `${user.email} ${user.isAdmin ? "is no longer" : "is now"} an administrator`,
                        )
                      }
                      data-testid="user-toggle-admin"
                    >
                      {user.isAdmin ? "Revoke admin" : "Make admin"}
                    </button>
                  </>
                )}
                <button
                  type="button"
                  onClick={() => update(user, { resetPassword: true }, `Password reset for ${user.email}`)}
                  data-testid="user-reset-password"
                >
                  Reset password
                </button>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
