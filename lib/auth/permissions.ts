/**
 * Who may do what inside a project: one table, pure data, no framework.
 * lib/server/auth/authorize.ts applies it on the server for every page, route and action.
 */
import { z } from "zod";

export const ZProjectRole = z.enum(["annotator", "reviewer", "manager"]);
export type TProjectRole = z.infer<typeof ZProjectRole>;
export const PROJECT_ROLES = ZProjectRole.options;

export const PROJECT_PERMISSIONS = {
  "project.view": { description: "See the project and its overview", roles: ["annotator", "reviewer", "manager"] },
  "members.view": { description: "See who works on the project", roles: ["annotator", "reviewer", "manager"] },
  "members.manage": { description: "Add and remove members and their roles", roles: ["manager"] },
  "project.manage": { description: "Change the project's settings", roles: ["manager"] },
  "annotations.write": { description: "Claim images and label hands", roles: ["annotator"] },
  "qc.review": { description: "Review other people's annotations", roles: ["reviewer"] },
  "subjects.view": { description: "See subjects and their demographics (special-category data)", roles: ["manager"] },
  "consent.manage": { description: "Record and withdraw consent", roles: ["manager"] },
  "images.upload": { description: "Upload images", roles: ["manager"] },
  "exports.create": { description: "Export the dataset", roles: ["manager"] },
  "audit.view": { description: "Read the project's audit log", roles: ["manager"] },
} as const satisfies Record<string, { description: string; roles: readonly TProjectRole[] }>;

export type TProjectPermission = keyof typeof PROJECT_PERMISSIONS;

/**
 * Installation admins run the installation, not the data: without a role in a project they may
 * see it and repair its membership, but not labels, subjects or consent.
 */
const ADMIN_WITHOUT_ROLE: readonly TProjectPermission[] = ["project.view", "members.view", "members.manage"];

export type TActor = { id: string; isAdmin: boolean };
export type TDecision = "allow" | "forbidden" | "not_found";

/**
 * The decision for one actor holding `roles` in an existing project.
 * Outsiders get "not_found" so that other projects' existence never leaks.
 */
export function decideProjectPermission(
  actor: TActor,
  roles: readonly TProjectRole[],
  permission: TProjectPermission,
): TDecision {
  const allowedRoles: readonly TProjectRole[] = PROJECT_PERMISSIONS[permission].roles;
  if (roles.some((role) => allowedRoles.includes(role))) return "allow";
  if (actor.isAdmin && ADMIN_WITHOUT_ROLE.includes(permission)) return "allow";
  if (roles.length === 0 && !actor.isAdmin) return "not_found";
  return "forbidden";
}

export function permissionsOf(actor: TActor, roles: readonly TProjectRole[]): TProjectPermission[] {
  return (Object.keys(PROJECT_PERMISSIONS) as TProjectPermission[]).filter(
    (permission) => decideProjectPermission(actor, roles, permission) === "allow",
  );
}

/** Installation-wide abilities. */
export function mayManageUsers(actor: TActor): boolean {
  return actor.isAdmin;
}

/** Admins and people who already manage a project may start new ones. */
export function mayCreateProjects(actor: TActor, managesAnyProject: boolean): boolean {
  return actor.isAdmin || managesAnyProject;
}
