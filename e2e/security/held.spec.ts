import { expect, test, type Page } from "@playwright/test";
import { PEOPLE } from "../fixtures/people";
import { apiSignIn, fixtures } from "../fixtures/session";
import { subjectWithConsent } from "../fixtures/consent";
import { handJpegs } from "../fixtures/images";
import { adminApi, unique } from "./support";

/** Probes that already held when issue 11 was filed; each fails if the defence regresses. */

const XSS = `<img src=x onerror="window.__xss=1"><script>window.__xss=2</script>"'><svg onload="window.__xss=3">`;

async function expectInert(page: Page, path: string) {
  const dialogs: string[] = [];
  page.on("dialog", (dialog) => {
    dialogs.push(dialog.message());
    void dialog.dismiss();
  });
  const response = await page.goto(path);
  expect(response?.status(), path).toBe(200);
  await page.waitForLoadState("networkidle");
  expect(await page.evaluate(() => (window as unknown as { __xss?: number }).__xss), path).toBeUndefined();
  expect(dialogs, path).toEqual([]);
  // Shown as text, not markup.
  expect(await page.locator("img[src='x']").count(), path).toBe(0);
}

test.describe("held probes", () => {
  test("XSS payloads in every rendered field stay inert", async ({ page, baseURL, playwright }) => {
    test.setTimeout(120_000);
    const admin = await adminApi(baseURL!);
    const email = `xss-${unique()}@e2e.test`;
    expect(
      (await admin.post("/api/users", { data: { email, name: XSS, password: "xss-password-123" } })).status(),
    ).toBe(201);
    const manager = await playwright.request.newContext({ baseURL });
    await apiSignIn(manager, PEOPLE.manager);
    const { project } = await (
      await manager.post("/api/projects", { data: { name: `XSS ${XSS}`.slice(0, 120), description: XSS } })
    ).json();
    expect(
      (await manager.post(`/api/projects/${project.id}/members`, { data: { email, roles: ["annotator"] } })).status(),
    ).toBe(201);
    const text = await manager.post(`/api/projects/${project.id}/consent-texts`, {
      data: { version: "xss<b>1</b>", body: `I agree. ${XSS}`, scopes: ["annotation"], biometricNotice: XSS },
    });
    expect(text.status()).toBe(201);
    const subject = await manager.post(`/api/projects/${project.id}/subjects`, {
      data: { notes: XSS, sexOrGender: `<img src=x onerror="window.__xss=4">` },
    });
    expect(subject.status()).toBe(201);
    const subjectId = (await subject.json()).subject.id;

    await apiSignIn(page.request, PEOPLE.manager);
    for (const path of [
      "/projects",
      `/projects/${project.id}`,
      `/projects/${project.id}/settings`,
      `/projects/${project.id}/members`,
      `/projects/${project.id}/consent-texts`,
      `/projects/${project.id}/subjects`,
      `/projects/${project.id}/subjects/${subjectId}`,
    ]) {
      await expectInert(page, path);
    }
    await page.context().clearCookies();
    await apiSignIn(page.request, PEOPLE.admin);
    await expectInert(page, "/admin/users");
    await Promise.all([manager.dispose(), admin.dispose()]);
  });

  test("ids from another project answer 404, never 403 or the data", async ({ playwright, baseURL }) => {
    const { projectA } = fixtures();
    const manager = await playwright.request.newContext({ baseURL });
    await apiSignIn(manager, PEOPLE.manager);
    const subject = await subjectWithConsent(manager, projectA);
    const [photo] = await handJpegs(1, `cross-${subject.code}`);
    const imageId = (
      await (
        await manager.post(`/api/projects/${projectA}/images`, { multipart: { subjectId: subject.id, file: photo } })
      ).json()
    ).image.id;
    const outsider = await playwright.request.newContext({ baseURL });
    await apiSignIn(outsider, PEOPLE.outsider);
    for (const path of [
      `/api/projects/${projectA}`,
      `/api/projects/${projectA}/subjects`,
      `/api/projects/${projectA}/subjects/${subject.id}`,
      `/api/projects/${projectA}/images`,
      `/api/projects/${projectA}/members`,
      `/api/projects/${projectA}/exports`,
      `/api/projects/${projectA}/consent-texts`,
      `/api/images/${imageId}/thumb`,
    ]) {
      const response = await outsider.get(path);
      expect(response.status(), path).toBe(404);
      expect(await response.text(), path).not.toContain(subject.code);
    }
    expect((await outsider.post(`/api/projects/${projectA}/subjects`, { data: {} })).status()).toBe(404);
    expect((await outsider.post(`/api/projects/${projectA}/queue/claim`)).status()).toBe(404);
    await Promise.all([manager.dispose(), outsider.dispose()]);
  });

  test("demographics never reach annotators or reviewers", async ({ playwright, baseURL }) => {
    const { projectA } = fixtures();
    const marker = `demo-marker-${unique()}`;
    const manager = await playwright.request.newContext({ baseURL });
    await apiSignIn(manager, PEOPLE.manager);
    const subject = await subjectWithConsent(manager, projectA, { sexOrGender: marker });
    for (const person of [PEOPLE.annotator, PEOPLE.reviewer]) {
      const api = await playwright.request.newContext({ baseURL });
      await apiSignIn(api, person);
      for (const path of [
        `/api/projects/${projectA}/subjects`,
        `/api/projects/${projectA}/subjects/${subject.id}`,
        `/api/projects/${projectA}`,
        `/projects/${projectA}`,
      ]) {
        expect(await (await api.get(path)).text(), `${person.email} ${path}`).not.toContain(marker);
      }
      await api.dispose();
    }
    await manager.dispose();
  });

  test("path traversal in image ids and variants answers 404, never a file or a 5xx", async ({ request }) => {
    await apiSignIn(request, PEOPLE.manager);
    for (const path of [
      "/api/images/..%2F..%2F..%2Fetc%2Fpasswd/original",
      "/api/images/%252e%252e/%252e%252e",
      "/api/images/x/..%2F..%2Fauth-secret",
      "/api/images/x/original%00.jpg",
      "/api/images/..%5C..%5Cphalanx.db/display",
      "/api/images/x/..%2Foriginal",
    ]) {
      const response = await request.get(path);
      expect(response.status(), path).toBe(404);
      const body = await response.text();
      expect(body, path).not.toContain("root:");
    }
  });

  test("malformed JSON is a 400 and changes nothing", async ({ request }) => {
    await apiSignIn(request, PEOPLE.manager);
    const { projectA } = fixtures();
    const count = async () => (await (await request.get(`/api/projects/${projectA}/subjects`)).json()).subjects.length;
    const before = await count();
    for (const body of ["{not json", "", "[1,2", "\u0000"]) {
      const response = await request.post(`/api/projects/${projectA}/subjects`, {
        headers: { "content-type": "application/json" },
        data: Buffer.from(body),
      });
      expect(response.status(), JSON.stringify(body)).toBe(400);
    }
    expect(await count()).toBe(before);
  });
});
