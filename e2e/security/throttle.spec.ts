import { expect, test } from "@playwright/test";
import { adminApi, newPerson, PASSWORD, signedIn } from "./support";

/**
 * Honest throttling (issue 11, probe 4). Every wrong password here also counts against this machine's
 * address (the limit is 4× the per-email one, shared by the whole e2e run), so the suite spends as few
 * as it can: one locked email serves every "answers 429" probe.
 */
test.describe("throttling", () => {
  test("40 correct sign-ins at once from one address all succeed", async ({ baseURL, playwright }) => {
    const admin = await adminApi(baseURL!);
    const person = await newPerson(admin, "parallel");
    const contexts = await Promise.all(Array.from({ length: 40 }, () => playwright.request.newContext({ baseURL })));
    const statuses = await Promise.all(
      contexts.map((api) =>
        api
          .post("/api/session", { data: { email: person.email, password: person.password }, timeout: 120_000 })
          .then((r) => r.status()),
      ),
    );
    expect(statuses.filter((status) => status === 200)).toHaveLength(40);
    await Promise.all([...contexts.map((api) => api.dispose()), admin.dispose()]);
  });

  test("once an email is locked, every path answers 429 with Retry-After: sign-in, Auth.js's callback, the password change, and the form shows the wait", async ({
    baseURL,
    playwright,
    page,
  }) => {
    const admin = await adminApi(baseURL!);
    const person = await newPerson(admin, "locked");
    const own = await signedIn(baseURL!, person); // signed in before the lock
    const api = await playwright.request.newContext({ baseURL });
    for (let attempt = 1; attempt <= 5; attempt++) {
      // A different X-Forwarded-For each time changes nothing: the header is not believed.
      const response = await api.post("/api/session", {
        headers: { "x-forwarded-for": `203.0.113.${attempt}` },
        data: { email: person.email, password: `wrong ${attempt}` },
      });
      expect(response.status()).toBe(401);
    }
    const signIn = await api.post("/api/session", {
      headers: { "x-forwarded-for": "198.51.100.77" },
      data: { email: person.email, password: PASSWORD },
    });
    expect(signIn.status()).toBe(429);
    expect(Number(signIn.headers()["retry-after"])).toBeGreaterThan(0);

    const { csrfToken } = await (await api.get("/api/auth/csrf")).json();
    const callback = await api.post("/api/auth/callback/credentials", {
      form: { csrfToken, email: person.email, password: PASSWORD },
      maxRedirects: 0,
    });
    expect(callback.status()).toBe(429);
    expect(Number(callback.headers()["retry-after"])).toBeGreaterThan(0);
    expect((await callback.json()).error).toMatch(/Try again in \d+ minutes?/);

    const change = await own.post("/api/account/password", {
      data: { currentPassword: PASSWORD, newPassword: "a new password 123" },
    });
    expect(change.status()).toBe(429);
    expect(Number(change.headers()["retry-after"])).toBeGreaterThan(0);

    await page.goto("/login");
    await page.getByTestId("login-email").fill(person.email);
    await page.getByTestId("login-password").fill(PASSWORD);
    await page.getByTestId("login-submit").click();
    await expect(page.getByTestId("login-error")).toContainText(/Too many failed sign-ins\. Try again in \d+ minutes?/);
    await Promise.all([api.dispose(), own.dispose(), admin.dispose()]);
  });
});
