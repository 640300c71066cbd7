import { expect, test } from "@playwright/test";
import { PEOPLE } from "../fixtures/people";
import { apiSignIn, fixtures, uiSignIn } from "../fixtures/session";
import { adminApi, foreignOrigin, unique } from "./support";

/** Cross-site request forgery (issue 11, probe 2). The foreign page runs on another port of localhost: same site, other origin. */
const foreignPort = () => Number(process.env.E2E_PORT ?? 3100) + 90;
const subjectCount = async (api: import("@playwright/test").APIRequestContext, projectId: string) =>
  (await (await api.get(`/api/projects/${projectId}/subjects`)).json()).subjects.length;

test.describe("cross-site requests", () => {
  test("a manager's browser visiting a foreign page cannot be made to create a subject (text/plain, same site)", async ({
    page,
    baseURL,
  }) => {
    const { projectA } = fixtures();
    await uiSignIn(page, PEOPLE.manager.email, PEOPLE.manager.password);
    await expect(page).toHaveURL(/\/projects$/);
    const before = await subjectCount(page.request, projectA);
    const attacker = await foreignOrigin(
      foreignPort(),
      `<!doctype html><script>
      window.result = fetch(${JSON.stringify(`${baseURL}/api/projects/${projectA}/subjects`)}, {
        method: "POST", mode: "no-cors", credentials: "include", headers: { "content-type": "text/plain" }, body: "{}",
      }).then(() => "sent", (e) => String(e));
    </script>`,
    );
    try {
      await page.goto(attacker.url);
      expect(await page.evaluate(() => (window as unknown as { result: Promise<string> }).result)).toBe("sent");
    } finally {
      await attacker.close();
    }
    expect(await subjectCount(page.request, projectA)).toBe(before);
  });

  test("a forged request with another Origin is refused (403) and changes nothing — for admins too", async ({
    baseURL,
  }) => {
    const admin = await adminApi(baseURL!);
    const email = `forged-${unique()}@e2e.test`;
    const evil = { origin: `http://localhost:${foreignPort()}`, "sec-fetch-site": "same-site" };
    const forged = await admin.post("/api/users", {
      headers: { ...evil, "content-type": "text/plain" },
      data: JSON.stringify({ email, name: "Forged", isAdmin: true }),
    });
    expect(forged.status()).toBe(403);
    const forgedJson = await admin.post("/api/users", {
      headers: evil,
      data: { email, name: "Forged", isAdmin: true },
    });
    expect(forgedJson.status()).toBe(403);
    expect((await forgedJson.json()).error).toMatch(/another site/);
    const users = (await (await admin.get("/api/users")).json()).users as { email: string }[];
    expect(users.some((user) => user.email === email)).toBe(false);
    await admin.dispose();
  });

  test("JSON endpoints accept only application/json (415), even from the app's own origin", async ({ baseURL }) => {
    const { projectA } = fixtures();
    const manager = await adminApi(baseURL!);
    await apiSignIn(manager, PEOPLE.manager);
    const before = await subjectCount(manager, projectA);
    for (const contentType of ["text/plain", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x"]) {
      const response = await manager.post(`/api/projects/${projectA}/subjects`, {
        headers: { "content-type": contentType, origin: baseURL! },
        data: "{}",
      });
      expect(response.status(), contentType).toBe(415);
    }
    expect(await subjectCount(manager, projectA)).toBe(before);
    await manager.dispose();
  });

  test("login CSRF: a foreign page cannot sign the visitor in as the attacker", async ({ page, baseURL }) => {
    const attacker = await foreignOrigin(
      foreignPort(),
      `<!doctype html>
      <form id="f" method="POST" action="${baseURL}/api/session" enctype="text/plain">
        <input name='{"email":"${PEOPLE.outsider.email}","password":"${PEOPLE.outsider.password}","x":"' value='"}'>
      </form>
      <script>window.result = fetch(${JSON.stringify(`${baseURL}/api/session`)}, { method: "POST", mode: "no-cors", credentials: "include",
        headers: { "content-type": "text/plain" }, body: JSON.stringify({ email: ${JSON.stringify(PEOPLE.outsider.email)}, password: ${JSON.stringify(PEOPLE.outsider.password)} }) }).then(() => "sent");</script>`,
    );
    try {
      await page.goto(attacker.url);
      await page.evaluate(() => (window as unknown as { result: Promise<string> }).result);
      await page.evaluate(() => (document.getElementById("f") as HTMLFormElement).submit());
      await page.waitForLoadState();
    } finally {
      await attacker.close();
    }
    expect((await page.context().cookies()).filter((cookie) => cookie.name.includes("session-token"))).toHaveLength(0);
    expect((await page.request.get("/api/projects")).status()).toBe(401);
  });

  test("login CSRF through Auth.js's own callback is refused too", async ({ playwright, baseURL }) => {
    const api = await playwright.request.newContext({ baseURL });
    const { csrfToken } = await (await api.get("/api/auth/csrf")).json();
    const response = await api.post("/api/auth/callback/credentials", {
      headers: { origin: `http://localhost:${foreignPort()}`, "sec-fetch-site": "same-site" },
      form: { csrfToken, email: PEOPLE.outsider.email, password: PEOPLE.outsider.password },
      maxRedirects: 0,
    });
    expect(response.status()).toBe(403);
    expect((await api.get("/api/projects")).status()).toBe(401);
    await api.dispose();
  });

  test("bearer-token scripts are not affected by the origin rule", async ({ baseURL, playwright }) => {
    const { projectA } = fixtures();
    const manager = await playwright.request.newContext({ baseURL });
    await apiSignIn(manager, PEOPLE.manager);
    const { token } = (await (await manager.post("/api/account/tokens", { data: { name: `csrf-${unique()}` } })).json())
      .token;
    const script = await playwright.request.newContext({
      baseURL,
      extraHTTPHeaders: { authorization: `Bearer ${token}` },
    });
    const created = await script.post(`/api/v1/projects/${projectA}/subjects`, {
      headers: { origin: "https://anywhere.example" },
      data: {},
    });
    expect(created.status()).toBe(201);
    await Promise.all([script.dispose(), manager.dispose()]);
  });
});
