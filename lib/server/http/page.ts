import "server-only";
import type { ReactNode } from "react";
import { forbidden, notFound, redirect } from "next/navigation";
import { AppError } from "@/lib/errors/app-error";
import type { TProjectPermission } from "@/lib/auth/permissions";
import { requireAdmin, requireProjectPermission, requireUser, type TProjectAccess } from "@/lib/server/auth/authorize";
import type { TCurrentUser } from "@/lib/server/auth/current-user";
import type { TResourceGuard } from "@/lib/server/auth/resource-guards";
import type { TRouteAccess } from "./api-route";

/**
 * For pages: runs an authorisation or lookup step and turns its AppError into Next's answers —
 * sign-in redirect (401), the 403 page, or the 404 page (other projects never leak).
 */
export async function guardPage<T>(step: Promise<T>): Promise<T> {
  try {
    return await step;
  } catch (error) {
    if (!(error instanceof AppError)) throw error;
    if (error.code === "unauthenticated") redirect("/login");
    if (error.code === "forbidden") forbidden();
    if (error.code === "not_found") notFound();
    throw error;
  }
}

/*
 * Page wrappers, the pages' counterpart of lib/server/http/api-route.ts: a page declares what it needs
 * as data and renders only after guardPage allowed it; lib/server/http/pages-declare-access.test.ts
 * checks that every page is built with one.
 */
type TSearchParams = Record<string, string | string[] | undefined>;
type TPageProps<P, S> = { params: Promise<P>; searchParams: Promise<S> };
type TRender<P, S, A> = (args: { params: P; searchParams: S } & A) => Promise<ReactNode>;

/** The same mark as api-route.ts's, so routeAccessOf reads a page's declared access (the matrix test does). */
const ACCESS = Symbol.for("phalanx.route-access");

function page<P, S, A>(access: TRouteAccess, authorize: (params: P) => Promise<A>, render: TRender<P, S, A>) {
  async function GuardedPage(props: TPageProps<P, S>) {
    const params = await props.params;
    const granted = await guardPage(authorize(params));
    return render({ params, searchParams: await props.searchParams, ...granted });
  }
  return Object.assign(GuardedPage, { [ACCESS]: access });
}

/** A page under /projects/{projectId}: the caller holds `permission` there. */
export function projectPage<P extends { projectId: string } = { projectId: string }, S = TSearchParams>(
  options: { permission: TProjectPermission },
  render: TRender<P, S, { access: TProjectAccess }>,
) {
  return page<P, S, { access: TProjectAccess }>(
    { kind: "project", permission: options.permission },
    async (params) => ({ access: await requireProjectPermission(params.projectId, options.permission) }),
    render,
  );
}

/** A page named by a resource id (annotation, review): the guard authorises before the page reads it. */
export function resourcePage<K extends string, P extends Record<K, string> = Record<K, string>, S = TSearchParams>(
  guard: TResourceGuard<K>,
  render: TRender<P, S, { access: TProjectAccess }>,
) {
  return page<P, S, { access: TProjectAccess }>(
    { kind: "resource", guard: guard.name, param: guard.param },
    async (params) => ({ access: await guard.authorize(params[guard.param]) }),
    render,
  );
}

/** Any signed-in person. */
export function userPage<S = TSearchParams>(render: TRender<Record<string, never>, S, { user: TCurrentUser }>) {
  return page<Record<string, never>, S, { user: TCurrentUser }>(
    { kind: "user" },
    async () => ({ user: await requireUser() }),
    render,
  );
}

/** Installation administrators only. */
export function adminPage<S = TSearchParams>(render: TRender<Record<string, never>, S, { admin: TCurrentUser }>) {
  return page<Record<string, never>, S, { admin: TCurrentUser }>(
    { kind: "admin" },
    async () => ({ admin: await requireAdmin() }),
    render,
  );
}

/** Anybody; the reason says why that is safe. */
export function publicPage<S = TSearchParams>(
  options: { reason: string },
  render: TRender<Record<string, never>, S, object>,
) {
  return page<Record<string, never>, S, object>({ kind: "public", reason: options.reason }, async () => ({}), render);
}
