import "server-only";
import { AppError } from "@/lib/errors/app-error";
import { PROJECT_ROLES, ZProjectRole, type TProjectRole } from "@/lib/auth/permissions";
import { db } from "@/lib/server/db";
import { recordAuditEvent } from "@/lib/server/audit/record-audit-event";
import { lockRowsForUpdate } from "@/lib/server/db/lock";

export type TMember = { userId: string; email: string; name: string; roles: TProjectRole[]; disabled: boolean };

export async function listMembers(projectId: string): Promise<TMember[]> {
  const rows = await db.membership.findMany({
    where: { projectId },
    select: { role: true, user: { select: { id: true, email: true, name: true, disabledAt: true } } },
    orderBy: { user: { email: "asc" } },
  });
  const byUser = new Map<string, TMember>();
  for (const { role, user } of rows) {
    const member = byUser.get(user.id) ?? {
      userId: user.id,
      email: user.email,
      name: user.name,
      roles: [],
      disabled: !!user.disabledAt,
    };
    member.roles.push(ZProjectRole.parse(role));
    byUser.set(user.id, member);
  }
  for (const member of byUser.values())
    member.roles.sort((a, b) => PROJECT_ROLES.indexOf(a) - PROJECT_ROLES.indexOf(b));
  return [...byUser.values()];
}

/**
 * Sets exactly these roles for a person in a project (an empty list removes them).
 * Refuses to leave a project without a manager. Every change is an audit event.
 */
export async function setMemberRoles(
  projectId: string,
  userId: string,
  roles: TProjectRole[],
  actorId: string,
): Promise<void> {
  await db.$transaction(async (tx) => {
    await lockRowsForUpdate(tx, "Project", { id: projectId });
    const current = (await tx.membership.findMany({ where: { projectId, userId }, select: { role: true } })).map(
      (m) => m.role,
    );
    const wanted = [...new Set(roles)];
    if (current.includes("manager") && !wanted.includes("manager")) {
      const managers = await tx.membership.count({ where: { projectId, role: "manager" } });
      if (managers <= 1)
        throw new AppError("conflict", "A project needs at least one manager; add another manager first");
    }
    const added = wanted.filter((role) => !current.includes(role));
    const removed = current.filter((role) => !wanted.includes(role as TProjectRole));
    if (removed.length) await tx.membership.deleteMany({ where: { projectId, userId, role: { in: removed } } });
    for (const role of added) await tx.membership.create({ data: { projectId, userId, role } });
    if (added.length || removed.length) {
      await recordAuditEvent(
        {
          actorId,
          projectId,
          action: "membership.roles_changed",
          targetType: "user",
          targetId: userId,
          details: { added, removed },
        },
        tx,
      );
    }
  });
}

/** Adds roles for a person found by email (keeps roles they already hold). */
export async function addMemberByEmail(
  projectId: string,
  email: string,
  roles: TProjectRole[],
  actorId: string,
): Promise<TMember> {
  const user = await db.user.findUnique({ where: { email }, select: { id: true, disabledAt: true } });
  if (!user)
    throw new AppError("invalid_input", "No user with this email; an administrator must create the account first", {
      email: "No such user",
    });
  const current = await db.membership.findMany({ where: { projectId, userId: user.id }, select: { role: true } });
  const merged = [...new Set([...current.map((m) => ZProjectRole.parse(m.role)), ...roles])];
  await setMemberRoles(projectId, user.id, merged, actorId);
  const member = (await listMembers(projectId)).find((m) => m.userId === user.id);
  return member!;
}
