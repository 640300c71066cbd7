import { expect, test } from "@playwright/test";
import { adminApi, cookieHeader, newPerson, PASSWORD, signedIn, statusWithCookie, statusWithToken } from "./support";
import { uiSignIn } from "../fixtures/session";

/** Sessions end when they should (issue 11, probe 1): every copy of a cookie dies with its session. */
test.describe("sessions that end", () => {
  test("signing out (DELETE /api/session) ends the session: a copied cookie gets 401", async ({ baseURL }) => {
    const admin = await adminApi(baseURL!);
    const person = await newPerson(admin, "signout");
    const browser = await signedIn(baseURL!, person);
    const copy = await cookieHeader(browser);
    expect(await statusWithCookie(baseURL!, copy)).toBe(200);
    expect((await browser.delete("/api/session")).status()).toBe(200);
    expect(await statusWithCookie(baseURL!, copy)).toBe(401);
    await Promise.all([browser.dispose(), admin.dispose()]);
  });

  test("signing out through Auth.js's own endpoint ends the session too", async ({ baseURL }) => {
    const admin = await adminApi(baseURL!);
    const person = await newPerson(admin, "authjs-signout");
    const browser = await signedIn(baseURL!, person);
    const copy = await cookieHeader(browser);
    const { csrfToken } = await (await browser.get("/api/auth/csrf")).json();
    const response = await browser.post("/api/auth/signout", { form: { csrfToken }, maxRedirects: 0 });
    expect([200, 302]).toContain(response.status());
    expect(await statusWithCookie(baseURL!, copy)).toBe(401);
    await Promise.all([browser.dispose(), admin.dispose()]);
  });

  test("changing the password keeps this session and ends every other one", async ({ baseURL }) => {
    const admin = await adminApi(baseURL!);
    const person = await newPerson(admin, "pwchange");
    const here = await signedIn(baseURL!, person);
    const elsewhere = await signedIn(baseURL!, person);
    const elsewhereCookie = await cookieHeader(elsewhere);
    const changed = await here.post("/api/account/password", {
      data: { currentPassword: PASSWORD, newPassword: "a different password 2" },
    });
    expect(changed.status()).toBe(200);
    expect((await here.get("/api/projects")).status()).toBe(200);
    expect(await statusWithCookie(baseURL!, elsewhereCookie)).toBe(401);
    await Promise.all([here.dispose(), elsewhere.dispose(), admin.dispose()]);
  });

  for (const change of [{ resetPassword: true }, { disabled: true }]) {
    test(`an administrator's ${Object.keys(change)[0]} ends every session and revokes every API token`, async ({
      baseURL,
    }) => {
      const admin = await adminApi(baseURL!);
      const person = await newPerson(admin, "admin-ends");
      const browser = await signedIn(baseURL!, person);
      const copy = await cookieHeader(browser);
      const created = await browser.post("/api/account/tokens", { data: { name: "script" } });
      expect(created.status()).toBe(201);
      const { token } = (await created.json()).token;
      expect([await statusWithCookie(baseURL!, copy), await statusWithToken(baseURL!, token)]).toEqual([200, 200]);
      expect((await admin.patch(`/api/users/${person.id}`, { data: change })).status()).toBe(200);
      expect([await statusWithCookie(baseURL!, copy), await statusWithToken(baseURL!, token)]).toEqual([401, 401]);
      await Promise.all([browser.dispose(), admin.dispose()]);
    });
  }

  test("an API token cannot mint, list or revoke tokens, nor change the password (403)", async ({
    baseURL,
    playwright,
  }) => {
    const admin = await adminApi(baseURL!);
    const person = await newPerson(admin, "token-mint");
    const browser = await signedIn(baseURL!, person);
    const { token } = (await (await browser.post("/api/account/tokens", { data: { name: "leaked" } })).json()).token;
    const script = await playwright.request.newContext({
      baseURL,
      extraHTTPHeaders: { authorization: `Bearer ${token}` },
    });
    expect((await script.post("/api/account/tokens", { data: { name: "offspring" } })).status()).toBe(403);
    expect((await script.get("/api/account/tokens")).status()).toBe(403);
    expect(
      (
        await script.post("/api/account/password", {
          data: { currentPassword: PASSWORD, newPassword: "taken over 12345" },
        })
      ).status(),
    ).toBe(403);
    expect((await script.delete("/api/account/sessions")).status()).toBe(403);
    // Still exactly one token, and the session still works.
    expect((await (await browser.get("/api/account/tokens")).json()).tokens).toHaveLength(1);
    expect((await script.get("/api/v1/projects")).status()).toBe(200);
    await Promise.all([script.dispose(), browser.dispose(), admin.dispose()]);
  });

  test("“Sign out everywhere” on the account page ends this browser's session and every other", async ({
    page,
    baseURL,
  }) => {
    const admin = await adminApi(baseURL!);
    const person = await newPerson(admin, "everywhere");
    const other = await signedIn(baseURL!, person);
    const otherCookie = await cookieHeader(other);
    await uiSignIn(page, person.email, person.password);
    await expect(page).toHaveURL(/\/projects$/);
    const thisCookie = (await page.context().cookies())
      .filter((c) => c.name.includes("session-token"))
      .map((c) => `${c.name}=${c.value}`)
      .join("; ");
    await page.goto("/account");
    await expect(page.getByTestId("account-session")).toHaveCount(2);
    await page.getByTestId("signout-everywhere").click();
    await expect(page).toHaveURL(/\/login$/);
    expect(await statusWithCookie(baseURL!, otherCookie)).toBe(401);
    expect(await statusWithCookie(baseURL!, thisCookie)).toBe(401);
    await Promise.all([other.dispose(), admin.dispose()]);
  });
});
