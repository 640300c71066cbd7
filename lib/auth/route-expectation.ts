/**
 * What a route or page must answer a caller, derived from the access it declares
 * (lib/server/http/api-route.ts, lib/server/http/page.ts) and the permission table
 * (decideProjectPermission): one source of truth for the authorisation matrix tests.
 * Framework-free; an access this cannot judge throws, so a new kind of guard fails the matrix.
 */
import { decideProjectPermission, type TProjectPermission, type TProjectRole } from "./permissions";

export type TDeclaredAccess =
  | { kind: "public" }
  | { kind: "user" }
  | { kind: "admin" }
  | { kind: "project"; permission: TProjectPermission }
  | { kind: "resource"; guard: string };

/** Who asks: nobody, or a signed-in person (an installation administrator or not). */
export type TMatrixCaller = { signedIn: false } | { signedIn: true; isAdmin: boolean };

/** The caller's standing towards the target: their roles in its project, and whether the resource is theirs. */
export type TMatrixTarget = { roles: readonly TProjectRole[]; ownsResource: boolean };

/** "allowed": past authorisation — the handler decides (200, 201, 400 for an empty body, 409, …). */
export type TOutcome = 401 | 403 | 404 | "allowed";

/**
 * How each resource guard (lib/server/auth/resource-guards.ts, by name) reaches its resource:
 * "member" — any resource of a project the caller is in (administrators reach all);
 * "own" — only the caller's own resource; then the permission is checked in its project.
 */
export const RESOURCE_GUARD_RULES: Record<string, { reach: "member" | "own"; permission: TProjectPermission }> = {
  "project-image": { reach: "member", permission: "project.view" },
  "own-annotation": { reach: "own", permission: "annotations.write" },
  "own-review": { reach: "own", permission: "qc.review" },
};

const OUTCOME_OF_DECISION = { allow: "allowed", forbidden: 403, not_found: 404 } as const;

export function expectedOutcome(access: TDeclaredAccess, caller: TMatrixCaller, target: TMatrixTarget): TOutcome {
  if (access.kind === "public") return "allowed";
  if (!caller.signedIn) return 401;
  const actor = { id: "caller", isAdmin: caller.isAdmin };
  switch (access.kind) {
    case "user":
      return "allowed";
    case "admin":
      return caller.isAdmin ? "allowed" : 403;
    case "project":
      return OUTCOME_OF_DECISION[decideProjectPermission(actor, target.roles, access.permission)];
    case "resource": {
      const rule = RESOURCE_GUARD_RULES[access.guard];
      if (!rule) throw new Error(`No expectation for resource guard "${access.guard}": add it to RESOURCE_GUARD_RULES`);
      if (rule.reach === "own" && !target.ownsResource) return 404;
      return OUTCOME_OF_DECISION[decideProjectPermission(actor, target.roles, rule.permission)];
    }
    default:
      throw new Error(`No expectation for access ${JSON.stringify(access)}`);
  }
}

/** The outcome class of an HTTP status (a 404 or 403 from the handler itself is told apart by the caller). */
export function outcomeOfStatus(status: number): TOutcome {
  return status === 401 || status === 403 || status === 404 ? status : "allowed";
}
