import { expect, test, type APIRequestContext } from "@playwright/test";
import { PEOPLE } from "../fixtures/people";
import { apiSignIn, fixtures } from "../fixtures/session";

/** Bad input gets a clear error and changes nothing: each case compares the data before and after. */
const userCount = async (api: APIRequestContext) => (await (await api.get("/api/users")).json()).users.length;
const projectOf = async (api: APIRequestContext, id: string) =>
  (await (await api.get(`/api/projects/${id}`)).json()).project;
const membersOf = async (api: APIRequestContext, id: string) =>
  (await (await api.get(`/api/projects/${id}/members`)).json()).members;

test.describe("user endpoints", () => {
  test.beforeEach(async ({ request }) => apiSignIn(request, PEOPLE.admin));

  test("malformed JSON → 400, nothing created", async ({ request }) => {
    const before = await userCount(request);
    const response = await request.post("/api/users", {
      headers: { "content-type": "application/json" },
      data: Buffer.from("{not json"),
    });
    expect(response.status()).toBe(400);
    expect((await response.json()).error).toBe("The request body is not valid JSON");
    expect(await userCount(request)).toBe(before);
  });

  test("wrong types → 400 naming the fields, nothing created", async ({ request }) => {
    const before = await userCount(request);
    const response = await request.post("/api/users", { data: { email: "not-an-email", name: 42, isAdmin: "yes" } });
    expect(response.status()).toBe(400);
    const body = await response.json();
    expect(Object.keys(body.fields).sort()).toEqual(["email", "isAdmin", "name"]);
    expect(await userCount(request)).toBe(before);
  });

  test("unknown user id → 404; unknown field → 400", async ({ request }) => {
    expect((await request.patch("/api/users/no-such-user", { data: { disabled: true } })).status()).toBe(404);
    const { userIds } = fixtures();
    const response = await request.patch(`/api/users/${userIds.annotator}`, { data: { isAdmin: true, role: "god" } });
    expect(response.status()).toBe(400);
    const users = (await (await request.get("/api/users")).json()).users;
    expect(users.find((u: { id: string }) => u.id === userIds.annotator).isAdmin).toBe(false);
  });

  test("not an admin → 403, nothing changed", async ({ playwright, baseURL }) => {
    const annotator = await playwright.request.newContext({ baseURL });
    await apiSignIn(annotator, PEOPLE.annotator);
    expect((await annotator.post("/api/users", { data: { email: "sneaky@e2e.test", name: "Sneaky" } })).status()).toBe(
      403,
    );
    expect((await annotator.get("/api/users")).status()).toBe(403);
    const { userIds } = fixtures();
    expect((await annotator.patch(`/api/users/${userIds.annotator}`, { data: { isAdmin: true } })).status()).toBe(403);
    await annotator.dispose();
  });

  test("signed out → 401", async ({ playwright, baseURL }) => {
    const anonymous = await playwright.request.newContext({ baseURL });
    expect((await anonymous.get("/api/users")).status()).toBe(401);
    expect((await anonymous.get("/api/projects")).status()).toBe(401);
    await anonymous.dispose();
  });
});

test.describe("project endpoints", () => {
  test.beforeEach(async ({ request }) => apiSignIn(request, PEOPLE.manager));

  test("wrong types and out-of-range settings → 400 naming the fields, settings unchanged", async ({ request }) => {
    const { projectA } = fixtures();
    const before = await projectOf(request, projectA);
    const response = await request.patch(`/api/projects/${projectA}`, {
      data: { annotationsPerImage: 0, reviewSampleRate: "half", retentionDays: 5000 },
    });
    expect(response.status()).toBe(400);
    expect(Object.keys((await response.json()).fields).sort()).toEqual([
      "annotationsPerImage",
      "retentionDays",
      "reviewSampleRate",
    ]);
    expect(await projectOf(request, projectA)).toEqual(before);
  });

  test("malformed JSON and empty changes → 400", async ({ request }) => {
    const { projectA } = fixtures();
    const malformed = await request.patch(`/api/projects/${projectA}`, {
      headers: { "content-type": "application/json" },
      data: Buffer.from("["),
    });
    expect(malformed.status()).toBe(400);
    expect((await request.patch(`/api/projects/${projectA}`, { data: {} })).status()).toBe(400);
    expect((await request.post("/api/projects", { data: { name: "" } })).status()).toBe(400);
  });

  test("unknown project → 404, and another project's resources → 404 (not 403)", async ({ request }) => {
    const { projectB } = fixtures();
    expect((await request.get("/api/projects/no-such-project")).status()).toBe(404);
    expect((await request.patch(`/api/projects/${projectB}`, { data: { name: "Mine now" } })).status()).toBe(404);
    expect(
      (
        await request.post(`/api/projects/${projectB}/members`, {
          data: { email: PEOPLE.manager.email, roles: ["manager"] },
        })
      ).status(),
    ).toBe(404);
    expect((await request.get(`/api/projects/${projectB}/members`)).status()).toBe(404);
  });

  test("bad member requests → 400 / 404, members unchanged", async ({ request }) => {
    const { projectA } = fixtures();
    const before = await membersOf(request, projectA);
    expect(
      (
        await request.post(`/api/projects/${projectA}/members`, {
          data: { email: PEOPLE.outsider.email, roles: ["owner"] },
        })
      ).status(),
    ).toBe(400);
    expect(
      (
        await request.post(`/api/projects/${projectA}/members`, { data: { email: PEOPLE.outsider.email, roles: [] } })
      ).status(),
    ).toBe(400);
    expect(
      (
        await request.put(`/api/projects/${projectA}/members/no-such-user`, { data: { roles: ["annotator"] } })
      ).status(),
    ).toBe(404);
    expect(await membersOf(request, projectA)).toEqual(before);
  });

  test("an annotator may not change settings → 403, settings unchanged", async ({ playwright, baseURL, request }) => {
    const { projectA } = fixtures();
    const before = await projectOf(request, projectA);
    const annotator = await playwright.request.newContext({ baseURL });
    await apiSignIn(annotator, PEOPLE.annotator);
    expect((await annotator.patch(`/api/projects/${projectA}`, { data: { name: "Hijacked" } })).status()).toBe(403);
    expect(
      (
        await annotator.post(`/api/projects/${projectA}/members`, {
          data: { email: PEOPLE.outsider.email, roles: ["manager"] },
        })
      ).status(),
    ).toBe(403);
    expect((await annotator.post("/api/projects", { data: { name: "Annotator's own" } })).status()).toBe(403);
    expect(await projectOf(request, projectA)).toEqual(before);
    await annotator.dispose();
  });
});

test("security headers are sent on every page", async ({ request }) => {
  const response = await request.get("/login");
  const headers = response.headers();
  expect(headers["content-security-policy"]).toContain("frame-ancestors 'none'");
  expect(headers["x-content-type-options"]).toBe("nosniff");
  expect(headers["referrer-policy"]).toBe("strict-origin-when-cross-origin");
  expect(headers["x-powered-by"]).toBeUndefined();
});
