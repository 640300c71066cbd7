import "server-only";
import { cache } from "react";
import { AppError } from "@/lib/errors/app-error";
import {
  decideProjectPermission,
  mayManageUsers,
  type TProjectPermission,
  type TProjectRole,
  ZProjectRole,
} from "@/lib/auth/permissions";
import { db } from "@/lib/server/db";
import { currentUser, type TCurrentUser } from "./current-user";

/**
 * The one place where the server decides who may do what. Pages, route handlers and server
 * actions call these before touching data; lib/auth/permissions.ts holds the table.
 */

export async function requireUser(): Promise<TCurrentUser> {
  const user = await currentUser();
  if (!user) throw new AppError("unauthenticated", "Sign in to continue");
  return user;
}

export async function requireAdmin(): Promise<TCurrentUser> {
  const user = await requireUser();
  if (!mayManageUsers(user)) throw new AppError("forbidden", "Only administrators may manage users");
  return user;
}

/** The roles a person holds in a project, or null when the project does not exist. */
export const projectRolesOf = cache(async (userId: string, projectId: string): Promise<TProjectRole[] | null> => {
  const project = await db.project.findUnique({
    where: { id: projectId },
    select: { memberships: { where: { userId }, select: { role: true } } },
  });
  if (!project) return null;
  return project.memberships.map((membership) => ZProjectRole.parse(membership.role));
});

export type TProjectAccess = { user: TCurrentUser; projectId: string; roles: TProjectRole[] };

/** Throws not_found for projects the person may not know about, forbidden for actions their roles lack. */
export async function requireProjectPermission(
  projectId: string,
  permission: TProjectPermission,
): Promise<TProjectAccess> {
  const user = await requireUser();
  const roles = await projectRolesOf(user.id, projectId);
  const decision = roles === null ? "not_found" : decideProjectPermission(user, roles, permission);
  if (decision === "not_found") throw new AppError("not_found", "No such project");
  if (decision === "forbidden")
    throw new AppError("forbidden", `Your role in this project does not allow this (${permission})`);
  return { user, projectId, roles: roles! };
}
