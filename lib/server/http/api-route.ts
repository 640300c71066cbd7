import "server-only";
import type { TProjectPermission } from "@/lib/auth/permissions";
import { requireAdmin, requireProjectPermission, requireUser, type TProjectAccess } from "@/lib/server/auth/authorize";
import type { TCurrentUser } from "@/lib/server/auth/current-user";
import type { TResourceGuard } from "@/lib/server/auth/resource-guards";
import { route } from "./route";

/**
 * Every route handler under app/api is built by one of these wrappers, which take what the handler
 * needs as data (dub's `withWorkspace`): the wrapper authorises before the handler runs, hands it the
 * authorised person, and maps errors (lib/server/http/route.ts). A handler cannot be written without
 * declaring its access; lib/server/http/api-route.test.ts checks every app/api route file for it.
 */
export type TRouteAccess =
  | { kind: "public"; reason: string }
  | { kind: "user" }
  | { kind: "admin" }
  | { kind: "project"; permission: TProjectPermission }
  | { kind: "resource"; guard: string; param: string };

const ACCESS = Symbol.for("phalanx.route-access");

type TNextHandler<P> = ((request: Request, context: { params: Promise<P> }) => Promise<Response>) & {
  [ACCESS]: TRouteAccess;
};
type TArgs<P> = { request: Request; params: P };

function declare<P>(
  access: TRouteAccess,
  handler: (request: Request, params: P) => Promise<Response>,
): TNextHandler<P> {
  const wrapped = route<P>((request, { params }) => handler(request, params));
  return Object.assign(wrapped, { [ACCESS]: access });
}

/** The access a wrapped handler declared, or undefined for a handler built without a wrapper. */
export function routeAccessOf(handler: unknown): TRouteAccess | undefined {
  return typeof handler === "function" ? (handler as Partial<TNextHandler<unknown>>)[ACCESS] : undefined;
}

/** Anybody, signed in or not; the reason says why that is safe. */
export function publicRoute<P = unknown>(options: { reason: string }, handler: (args: TArgs<P>) => Promise<Response>) {
  return declare<P>({ kind: "public", reason: options.reason }, (request, params) => handler({ request, params }));
}

/** Any signed-in person (session or API token), acting on their own things. */
export function userRoute<P = unknown>(handler: (args: TArgs<P> & { user: TCurrentUser }) => Promise<Response>) {
  return declare<P>({ kind: "user" }, async (request, params) =>
    handler({ request, params, user: await requireUser() }),
  );
}

/** Installation administrators only. */
export function adminRoute<P = unknown>(handler: (args: TArgs<P> & { admin: TCurrentUser }) => Promise<Response>) {
  return declare<P>({ kind: "admin" }, async (request, params) =>
    handler({ request, params, admin: await requireAdmin() }),
  );
}

/** A route under /projects/{projectId}: the caller holds `permission` there (outsiders get 404). */
export function projectRoute<P extends { projectId: string } = { projectId: string }>(
  options: { permission: TProjectPermission },
  handler: (args: TArgs<P> & { access: TProjectAccess }) => Promise<Response>,
) {
  return declare<P>({ kind: "project", permission: options.permission }, async (request, params) =>
    handler({ request, params, access: await requireProjectPermission(params.projectId, options.permission) }),
  );
}

/**
 * A route named by a resource id outside a project path (annotation, review, image): the guard finds
 * the resource's project within the caller's reach and authorises there, before the handler reads it.
 */
export function resourceRoute<K extends string, P extends Record<K, string> = Record<K, string>>(
  guard: TResourceGuard<K>,
  handler: (args: TArgs<P> & { access: TProjectAccess }) => Promise<Response>,
) {
  return declare<P>({ kind: "resource", guard: guard.name, param: guard.param }, async (request, params) =>
    handler({ request, params, access: await guard.authorize(params[guard.param]) }),
  );
}
