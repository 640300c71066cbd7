/**
 * The authorisation matrix, generated from the route tree: every app/api route file × exported method, and
 * every app page, × caller (anonymous, outsider, annotator, reviewer, manager, several roles, administrator)
 * × target (the caller's own project and resources; for resource routes a peer's resource in that project;
 * another project's), against a real database. The expected outcome comes from the declared access via
 * expectedOutcome (lib/auth/route-expectation.ts), so a new route or page is in the matrix the moment it
 * exists, and one without a wrapper, or whose access has no expectation, fails.
 * Only the session lookup is replaced (outside a Next request there are no cookies).
 */
import { readdirSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { decideImageAccess } from "@/lib/auth/image-access";
import type { TProjectRole } from "@/lib/auth/permissions";
import { expectedOutcome, outcomeOfStatus, type TDeclaredAccess, type TOutcome } from "@/lib/auth/route-expectation";
import type { TCurrentUser } from "@/lib/server/auth/current-user";
import { db } from "@/lib/server/db";
import { createFixtureProject, createSubjectWithImages, unique } from "@/lib/server/queue/queue-test-fixtures";
import { routeAccessOf } from "./api-route";

let signedIn: TCurrentUser | null = null;
vi.mock("@/lib/server/auth/current-user", () => ({ currentUser: async () => signedIn }));

// next.config.js enables experimental.authInterrupts; Next's build sets this for forbidden() to work.
process.env.__NEXT_EXPERIMENTAL_AUTH_INTERRUPTS = "true";

const ROOT = path.resolve(import.meta.dirname, "../../..");
const METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE"];
/** Auth.js's own endpoints need Next's request scope; e2e/security/sessions and csrf cover them over HTTP. */
const SKIPPED = new Set(["app/api/auth/[...nextauth]/route.ts"]);
/** A path id the fixture does not seed: an allowed caller may get the handler's own 404 for it. */
const UNSEEDED = "no-such-id";

function routeFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return routeFiles(full);
    return entry.name === "route.ts" ? [full] : [];
  });
}
const files = routeFiles(path.join(ROOT, "app/api"))
  .map((file) => path.relative(ROOT, file))
  .filter((file) => !SKIPPED.has(file))
  .sort();

/**
 * Handlers that decide further after their declared access, each by its own pure rule: past the guard,
 * the expected outcome is that rule's for the fixture (image 0 is a bystander's, active, consented).
 */
const FURTHER: Record<string, (roles: TProjectRole[]) => TOutcome> = {
  "GET app/api/images/[imageId]/[variant]/route.ts": (roles) =>
    decideImageAccess({
      roles,
      variant: "thumb",
      isAnnotatorOfImage: false,
      annotatorNeedsOriginal: false,
      reviewerNeedsOriginal: false,
      imageState: "active",
      consentAllowsAnnotation: true,
    }) === "forbidden"
      ? 403
      : "allowed",
};

type TCallerName = "anonymous" | "outsider" | "annotator" | "reviewer" | "manager" | "several" | "admin";
const CALLERS: { name: TCallerName; roles: TProjectRole[]; isAdmin: boolean }[] = [
  { name: "anonymous", roles: [], isAdmin: false },
  { name: "outsider", roles: [], isAdmin: false },
  { name: "annotator", roles: ["annotator"], isAdmin: false },
  { name: "reviewer", roles: ["reviewer"], isAdmin: false },
  { name: "manager", roles: ["manager"], isAdmin: false },
  { name: "several", roles: ["annotator", "reviewer"], isAdmin: false },
  { name: "admin", roles: [], isAdmin: true },
];
type TTargetIds = { projectId: string; imageId: string; annotationId: string; reviewId: string };

const users = new Map<TCallerName, TCurrentUser>();
/** Per caller: ids in their own project (their own annotation and review where their role makes them). */
const own = new Map<TCallerName, TTargetIds & { ownsAnnotation: boolean; ownsReview: boolean }>();
/** Own project, but a bystander's annotation and review: own-resource guards answer 404 even to a peer. */
let peer: TTargetIds;
let other: TTargetIds;

type TCell = { target: "own" | "peer" | "other"; ids: TTargetIds; roles: TProjectRole[]; expected: TOutcome };

/** The cells of one declared access for one caller; "peer" only where a resource is named. */
function cellsOf(access: TDeclaredAccess, caller: (typeof CALLERS)[number]): TCell[] {
  const mine = own.get(caller.name)!;
  const owns = access.kind === "resource" && access.guard === "own-review" ? mine.ownsReview : mine.ownsAnnotation;
  const targets = [
    { target: "own" as const, ids: mine, roles: caller.roles, ownsResource: owns },
    ...(access.kind === "resource"
      ? [{ target: "peer" as const, ids: peer, roles: caller.roles, ownsResource: false }]
      : []),
    { target: "other" as const, ids: other, roles: [], ownsResource: false },
  ];
  return targets.map(({ target, ids, roles, ownsResource }) => ({
    target,
    ids,
    roles,
    expected: expectedOutcome(
      access,
      caller.name === "anonymous" ? { signedIn: false } : { signedIn: true, isAdmin: caller.isAdmin },
      { roles, ownsResource },
    ),
  }));
}

/** A project with a bystander annotator's annotation under review by a bystander reviewer. */
async function seedProject() {
  const fixture = await createFixtureProject();
  const { images } = await createSubjectWithImages(fixture, 8);
  const person = (role: TProjectRole) =>
    db.user.create({
      data: {
        email: `${role}-${unique()}@example.test`,
        name: role,
        passwordHash: "x",
        memberships: { create: { projectId: fixture.project.id, role } },
      },
    });
  const [annotator, reviewer] = [await person("annotator"), await person("reviewer")];
  const annotation = await annotate(images[0].id, annotator.id);
  const review = await db.review.create({
    data: { annotationId: annotation.id, reviewerId: reviewer.id, projectId: fixture.project.id },
  });
  return { fixture, images, annotation, review };
}
const annotate = (imageId: string, annotatorId: string) =>
  db.annotation.create({ data: { imageId, annotatorId, imageFlags: [], qualityFlags: [] } });

beforeAll(async () => {
  const mine = await seedProject();
  const theirs = await seedProject();
  other = {
    projectId: theirs.fixture.project.id,
    imageId: theirs.images[0].id,
    annotationId: theirs.annotation.id,
    reviewId: theirs.review.id,
  };
  peer = {
    projectId: mine.fixture.project.id,
    imageId: mine.images[0].id,
    annotationId: mine.annotation.id,
    reviewId: mine.review.id,
  };
  let nextImage = 1;
  for (const caller of CALLERS) {
    const user = await db.user.create({
      data: {
        email: `${caller.name}-${unique()}@example.test`,
        name: caller.name,
        passwordHash: "x",
        isAdmin: caller.isAdmin,
      },
    });
    for (const role of caller.roles)
      await db.membership.create({ data: { projectId: mine.fixture.project.id, userId: user.id, role } });
    users.set(caller.name, {
      id: user.id,
      email: user.email,
      name: user.name,
      isAdmin: user.isAdmin,
      mustChangePassword: false,
    });
    const ids = {
      projectId: mine.fixture.project.id,
      imageId: mine.images[0].id,
      annotationId: mine.annotation.id,
      reviewId: mine.review.id,
      ownsAnnotation: false,
      ownsReview: false,
    };
    if (caller.roles.includes("annotator")) {
      ids.annotationId = (await annotate(mine.images[nextImage++].id, user.id)).id;
      ids.ownsAnnotation = true;
    }
    if (caller.roles.includes("reviewer")) {
      ids.reviewId = (
        await db.review.create({
          data: { annotationId: mine.annotation.id, reviewerId: user.id, projectId: mine.fixture.project.id },
        })
      ).id;
      ids.ownsReview = true;
    }
    own.set(caller.name, ids);
  }
});

function fill(file: string, ids: TTargetIds) {
  const template = path.dirname(file).slice("app".length);
  const params: Record<string, string> = {};
  const url = template.replace(/\[([^\]]+)\]/g, (_, name: string) => {
    params[name] = name === "variant" ? "thumb" : ((ids as Record<string, string>)[name] ?? UNSEEDED);
    return params[name];
  });
  return { url, params };
}

async function ask(handler: unknown, method: string, url: string, params: Record<string, string>) {
  const body = method === "GET" || method === "DELETE" ? undefined : "{}";
  const request = new Request(`http://test.local${url}`, {
    method,
    body,
    headers: {
      origin: "http://test.local",
      host: "test.local",
      ...(body ? { "content-type": "application/json" } : {}),
    },
  });
  const call = handler as (request: Request, context: { params: Promise<unknown> }) => Promise<Response>;
  return call(request, { params: Promise.resolve(params) });
}

describe("the authorisation matrix of every API route", () => {
  it("finds the route files", () => {
    expect(files.length).toBeGreaterThan(50);
  });

  it.each(files)("%s", async (file) => {
    const routeModule: Record<string, unknown> = await import(path.join(ROOT, file));
    const methods = METHODS.filter((method) => method in routeModule);
    expect(methods.length, "exports no handler").toBeGreaterThan(0);
    const problems: string[] = [];
    for (const method of methods) {
      const access = routeAccessOf(routeModule[method]) as TDeclaredAccess | undefined;
      expect(access, `${method} declares no access`).toBeDefined();
      for (const caller of CALLERS) {
        for (const { target, ids, roles, expected: declared } of cellsOf(access!, caller)) {
          const further = FURTHER[`${method} ${file}`];
          const expected = declared === "allowed" && further ? further(roles) : declared;
          signedIn = caller.name === "anonymous" ? null : users.get(caller.name)!;
          const { url, params } = fill(file, ids);
          const response = await ask(routeModule[method], method, url, params);
          let actual = outcomeOfStatus(response.status);
          // The handler's own 404 for an id the fixture does not seed is past authorisation.
          if (expected === "allowed" && actual === 404 && url.includes(UNSEEDED)) actual = "allowed";
          if (actual !== expected)
            problems.push(`${method} as ${caller.name} on ${target}: ${response.status}, expected ${expected}`);
          cells++;
        }
      }
    }
    expect(problems).toEqual([]);
  });
});

function pageFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return pageFiles(full);
    return entry.name === "page.tsx" ? [full] : [];
  });
}
const pages = pageFiles(path.join(ROOT, "app"))
  .map((file) => path.relative(ROOT, file))
  .sort();

/** What Next makes of a page's answer: the wrapper's sign-in redirect, forbidden() or notFound(), or anything past it. */
async function renderOutcome(render: () => Promise<unknown>): Promise<TOutcome> {
  try {
    await render();
    return "allowed";
  } catch (error) {
    const digest = String((error as { digest?: unknown }).digest ?? "");
    if (digest.startsWith("NEXT_REDIRECT;") && digest.split(";")[2] === "/login") return 401;
    if (digest === "NEXT_HTTP_ERROR_FALLBACK;403") return 403;
    if (digest === "NEXT_HTTP_ERROR_FALLBACK;404") return 404;
    return "allowed"; // the page rendered past its wrapper and failed or redirected for its own reasons
  }
}

describe("the authorisation matrix of every page", () => {
  it("finds the pages", () => {
    expect(pages.length).toBeGreaterThan(20);
  });

  it.each(pages)("%s", async (file) => {
    const pageModule: { default: unknown } = await import(path.join(ROOT, file));
    const access = routeAccessOf(pageModule.default) as TDeclaredAccess | undefined;
    expect(access, "the page is not built with a page wrapper (lib/server/http/page.ts)").toBeDefined();
    const problems: string[] = [];
    for (const caller of CALLERS) {
      for (const { target, ids, expected } of cellsOf(access!, caller)) {
        signedIn = caller.name === "anonymous" ? null : users.get(caller.name)!;
        const { url, params } = fill(file.replace(/\/\([^)]+\)/g, ""), ids);
        const page = pageModule.default as (props: {
          params: Promise<unknown>;
          searchParams: Promise<unknown>;
        }) => Promise<unknown>;
        let actual = await renderOutcome(() =>
          page({ params: Promise.resolve(params), searchParams: Promise.resolve({}) }),
        );
        if (expected === "allowed" && actual === 404 && url.includes(UNSEEDED)) actual = "allowed";
        if (actual !== expected) problems.push(`as ${caller.name} on ${target}: ${actual}, expected ${expected}`);
        pageCells++;
      }
    }
    expect(problems).toEqual([]);
  });
});

let pageCells = 0;
let cells = 0;
afterAll(() =>
  console.log(
    `matrix: ${files.length} route files, ${cells} route cells; ${pages.length} pages, ${pageCells} page cells`,
  ),
);
