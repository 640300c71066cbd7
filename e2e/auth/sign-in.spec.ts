import { expect, test } from "@playwright/test";
import { PEOPLE } from "../fixtures/people";
import { uiSignIn } from "../fixtures/session";

test.describe("sign-in", () => {
  test("a wrong password shows an error and keeps the person on the login page", async ({ page }) => {
    await uiSignIn(page, PEOPLE.annotator.email, "not-the-password");
    await expect(page.getByTestId("login-error")).toHaveText("Wrong email or password");
    await expect(page).toHaveURL(/\/login$/);
  });

  test("the sixth rapid failure is throttled with a retry time, even with the right password", async ({ page }) => {
    for (let attempt = 1; attempt <= 5; attempt++) {
      await uiSignIn(page, PEOPLE.throttled.email, `wrong-${attempt}`);
      await expect(page.getByTestId("login-error")).toHaveText("Wrong email or password");
    }
    const answer = page.waitForResponse((response) => response.url().endsWith("/api/session"));
    await uiSignIn(page, PEOPLE.throttled.email, PEOPLE.throttled.password);
    const response = await answer;
    expect(response.status()).toBe(429);
    expect(Number(response.headers()["retry-after"])).toBeGreaterThan(0);
    await expect(page.getByTestId("login-error")).toContainText(/Too many failed sign-ins\. Try again in \d+ minutes?/);
  });

  test("a signed-out visitor is sent to the login page", async ({ page }) => {
    await page.goto("/projects");
    await expect(page).toHaveURL(/\/login$/);
  });

  test("signing in and out", async ({ page }) => {
    await uiSignIn(page, PEOPLE.reviewer.email, PEOPLE.reviewer.password);
    await expect(page).toHaveURL(/\/projects$/);
    // The demo project at least (other specs may have added the reviewer to more).
    await expect(page.getByTestId("project-card").first()).toBeVisible();
    await page.getByTestId("signout").click();
    await expect(page).toHaveURL(/\/login$/);
    await page.goto("/projects");
    await expect(page).toHaveURL(/\/login$/);
  });
});
