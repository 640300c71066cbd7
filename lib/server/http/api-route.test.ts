/**
 * The access wrappers against a real database: the declared access is enforced before the handler
 * runs (401 signed out, 403 role lacking, 404 another project or somebody else's resource), and
 * errors map to statuses as before. Only the session lookup is replaced: outside a Next request
 * there are no cookies, so the test says who is signed in.
 */
import { beforeAll, describe, expect, it, vi } from "vitest";
import { AppError } from "@/lib/errors/app-error";
import type { TCurrentUser } from "@/lib/server/auth/current-user";
import { claimNextImage } from "@/lib/server/queue/claim-next-image";
import {
  createAnnotators,
  createFixtureProject,
  createSubjectWithImages,
  type TFixtureProject,
} from "@/lib/server/queue/queue-test-fixtures";
import { ownAnnotation, projectImage } from "@/lib/server/auth/resource-guards";
import { adminRoute, projectRoute, publicRoute, resourceRoute, routeAccessOf, userRoute } from "./api-route";

let signedIn: TCurrentUser | null = null;
vi.mock("@/lib/server/auth/current-user", () => ({ currentUser: async () => signedIn }));

const asUser = (user: { id: string; email: string; name: string; isAdmin: boolean }) => {
  signedIn = { id: user.id, email: user.email, name: user.name, isAdmin: user.isAdmin, mustChangePassword: false };
};
const call = <P>(handler: (request: Request, context: { params: Promise<P> }) => Promise<Response>, params = {} as P) =>
  handler(new Request("http://test.local/api/x", { method: "POST" }), { params: Promise.resolve(params) });

let mine: TFixtureProject;
let other: TFixtureProject;
let annotator: Awaited<ReturnType<typeof createAnnotators>>[number];
let otherAnnotator: Awaited<ReturnType<typeof createAnnotators>>[number];
let imageId: string;
let otherImageId: string;
let annotationId: string;

beforeAll(async () => {
  mine = await createFixtureProject();
  other = await createFixtureProject();
  [annotator, otherAnnotator] = await createAnnotators(mine.project.id, 2);
  imageId = (await createSubjectWithImages(mine, 1)).images[0].id;
  otherImageId = (await createSubjectWithImages(other, 1)).images[0].id;
  annotationId = (await claimNextImage(mine.project.id, otherAnnotator.id)).annotationId!;
});

describe("projectRoute", () => {
  const ran: string[] = [];
  const subjects = projectRoute({ permission: "subjects.view" }, async ({ params, access }) => {
    ran.push(params.projectId);
    return Response.json({ user: access.user.id, roles: access.roles });
  });

  it("declares its permission as data", () => {
    expect(routeAccessOf(subjects)).toEqual({ kind: "project", permission: "subjects.view" });
  });

  it("answers 401 to nobody, 404 for another project, 403 for a role without the permission, and never runs the handler", async () => {
    signedIn = null;
    expect((await call(subjects, { projectId: mine.project.id })).status).toBe(401);
    asUser(mine.manager);
    const outsider = await call(subjects, { projectId: other.project.id });
    expect(outsider.status).toBe(404);
    expect(await outsider.json()).toMatchObject({ code: "not_found" });
    expect((await call(subjects, { projectId: "no-such-project" })).status).toBe(404);
    asUser(annotator);
    expect((await call(subjects, { projectId: mine.project.id })).status).toBe(403);
    expect(ran).toEqual([]);
  });

  it("runs the handler with the authorised person and their roles", async () => {
    asUser(mine.manager);
    const response = await call(subjects, { projectId: mine.project.id });
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ user: mine.manager.id, roles: ["manager"] });
    expect(ran).toEqual([mine.project.id]);
  });
});

describe("resourceRoute", () => {
  it("own annotation: somebody else's annotation in the same project is 404 before the handler runs", async () => {
    let ran = false;
    const handler = resourceRoute(ownAnnotation, async () => ((ran = true), Response.json({})));
    expect(routeAccessOf(handler)).toEqual({ kind: "resource", guard: "own-annotation", param: "annotationId" });
    asUser(annotator);
    expect((await call(handler, { annotationId })).status).toBe(404);
    expect(ran).toBe(false);
    asUser(otherAnnotator);
    expect((await call(handler, { annotationId })).status).toBe(200);
    expect(ran).toBe(true);
  });

  it("project image: an image of another project is 404 to a manager of this one", async () => {
    const handler = resourceRoute(projectImage, async ({ access }) => Response.json({ projectId: access.projectId }));
    asUser(mine.manager);
    expect((await call(handler, { imageId: otherImageId })).status).toBe(404);
    const response = await call(handler, { imageId });
    expect(await response.json()).toEqual({ projectId: mine.project.id });
  });
});

describe("userRoute, adminRoute, publicRoute", () => {
  it("userRoute needs somebody signed in", async () => {
    const handler = userRoute(async ({ user }) => Response.json({ id: user.id }));
    signedIn = null;
    expect((await call(handler)).status).toBe(401);
    asUser(annotator);
    expect(await (await call(handler)).json()).toEqual({ id: annotator.id });
  });

  it("adminRoute refuses a signed-in non-admin with 403", async () => {
    const handler = adminRoute(async () => Response.json({}));
    asUser(mine.manager);
    expect((await call(handler)).status).toBe(403);
    asUser({ ...mine.manager, isAdmin: true });
    expect((await call(handler)).status).toBe(200);
  });

  it("publicRoute carries its reason and maps errors as every route does", async () => {
    signedIn = null;
    const failing = (error: unknown) =>
      publicRoute({ reason: "a test of error mapping" }, async () => {
        throw error;
      });
    expect(routeAccessOf(failing(null))).toEqual({ kind: "public", reason: "a test of error mapping" });
    expect((await call(failing(new AppError("gone", "Gone")))).status).toBe(410);
    expect((await call(failing(Object.assign(new Error("unique"), { code: "P2002" })))).status).toBe(409);
    const spy = vi.spyOn(console, "error").mockImplementation(() => {});
    const crash = await call(failing(new Error("secret detail")));
    spy.mockRestore();
    expect(crash.status).toBe(500);
    expect(JSON.stringify(await crash.json())).not.toContain("secret detail");
  });
});
