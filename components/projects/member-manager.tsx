"use client";

import { useState } from "react";
import { callApi } from "@/components/forms/call-api";
import { FormError, FormNotice } from "@/components/forms/form-status";
import { PROJECT_ROLES, type TProjectRole } from "@/lib/auth/permissions";

type TMember = { userId: string; email: string; name: string; roles: TProjectRole[]; disabled: boolean };

/** Managers add people by email, tick their roles, or remove them; every change is saved at once. */
export function MemberManager({
  projectId,
  initialMembers,
  currentUserId,
}: {
  projectId: string;
  initialMembers: TMember[];
  currentUserId: string;
}) {
  const [members, setMembers] = useState(initialMembers);
  const [error, setError] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [newRoles, setNewRoles] = useState<TProjectRole[]>(["annotator"]);

  async function setRoles(member: TMember, roles: TProjectRole[]) {
    const result = roles.length
      ? await callApi<{ members: TMember[] }>("PUT", `/api/projects/${projectId}/members/${member.userId}`, { roles })
      : await callApi<{ members: TMember[] }>("DELETE", `/api/projects/${projectId}/members/${member.userId}`);
    if (!result.ok) return setError(result.error);
    setError(null);
    setMembers(result.data.members);
    setNotice(roles.length ? `${member.name}: ${roles.join(", ")}` : `${member.name} was removed from the project`);
  }

  async function onAdd(event: React.FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const formElement = event.currentTarget;
    const email = new FormData(formElement).get("email");
    const result = await callApi<{ member: TMember }>("POST", `/api/projects/${projectId}/members`, {
      email,
      roles: newRoles,
    });
    if (!result.ok) return setError(result.fields.email ? `${result.error}` : result.error);
    setError(null);
    const added = result.data.member;
    setMembers((list) =>
      [...list.filter((m) => m.userId !== added.userId), added].sort((a, b) => a.email.localeCompare(b.email)),
    );
    setNotice(`${added.name} now works here as ${added.roles.join(", ")}`);
    formElement.reset();
  }

  return (
    <div className="stack">
      <form className="row card" onSubmit={onAdd} aria-label="Add member">
        <label>
          Email of an existing user
          <input name="email" type="email" required data-testid="member-email" />
        </label>
        <fieldset className="row" style={{ border: 0 }}>
          <legend className="muted">Roles</legend>
          {PROJECT_ROLES.map((role) => (
            <label className="inline" key={role}>
              <input
                type="checkbox"
                checked={newRoles.includes(role)}
                onChange={(e) =>
                  setNewRoles((roles) => (e.target.checked ? [...roles, role] : roles.filter((r) => r !== role)))
                }
                data-testid={`member-new-role-${role}`}
              />
              {role}
            </label>
          ))}
        </fieldset>
        <button className="primary" type="submit" data-testid="member-add">
          Add member
        </button>
      </form>
      <FormError message={error} testId="member-error" />
      {notice && <FormNotice testId="member-notice">{notice}</FormNotice>}
      <table data-testid="member-table">
        <thead>
          <tr>
            <th>Name</th>
            <th>Email</th>
            {PROJECT_ROLES.map((role) => (
              <th key={role}>{role}</th>
            ))}
            <th />
          </tr>
        </thead>
        <tbody>
          {members.map((member) => (
            <tr key={member.userId} data-testid="member-row" data-email={member.email}>
              <td>
                {member.name}
                {member.userId === currentUserId && <span className="muted"> (you)</span>}
                {member.disabled && <span className="badge">disabled</span>}
              </td>
              <td>{member.email}</td>
              {PROJECT_ROLES.map((role) => (
                <td key={role}>
                  <input
                    type="checkbox"
                    aria-label={`${member.name} is ${role}`}
                    checked={member.roles.includes(role)}
                    onChange={(e) =>
                      setRoles(
                        member,
                        e.target.checked ? [...member.roles, role] : member.roles.filter((r) => r !== role),
                      )
                    }
                    data-testid={`member-role-${role}`}
                  />
                </td>
              ))}
              <td>
                <button
                  type="button"
                  className="danger"
                  onClick={() => setRoles(member, [])}
                  data-testid="member-remove"
                >
                  Remove
                </button>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
