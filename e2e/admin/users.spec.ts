import { expect, test } from "@playwright/test";
import { PEOPLE } from "../fixtures/people";
import { apiSignIn, uiSignIn } from "../fixtures/session";

test.describe("user administration", () => {
  test("an admin creates a user who can then sign in and choose a password", async ({ page, browser }) => {
    await apiSignIn(page.request, PEOPLE.admin);
    await page.goto("/admin/users");
    await page.getByTestId("user-email").fill("new.person@e2e.test");
    await page.getByTestId("user-name").fill("New Person");
    await page.getByTestId("user-create").click();
    await expect(page.getByTestId("user-notice")).toHaveText("Account created for new.person@e2e.test");
    const oneTimePassword = (await page.getByTestId("one-time-password").textContent())!;
    expect(oneTimePassword).toMatch(/^[\w]{5}-[\w]{5}-[\w]{5}-[\w]{5}$/);
    await expect(page.getByTestId("user-row").filter({ hasText: "new.person@e2e.test" })).toBeVisible();

    const other = await browser.newContext();
    const newcomer = await other.newPage();
    await uiSignIn(newcomer, "new.person@e2e.test", oneTimePassword);
    await expect(newcomer).toHaveURL(/\/projects$/);
    await expect(newcomer.getByTestId("projects-empty")).toContainText("not a member of any project");
    await newcomer.getByTestId("nav-account").click();
    await newcomer.getByTestId("account-current-password").fill(oneTimePassword);
    await newcomer.getByTestId("account-new-password").fill("my-own-password-42");
    await newcomer.getByTestId("account-submit").click();
    await expect(newcomer.getByTestId("account-saved")).toBeVisible();
    await other.close();
  });

  test("a duplicate email is refused with a clear error", async ({ page }) => {
    await apiSignIn(page.request, PEOPLE.admin);
    await page.goto("/admin/users");
    await page.getByTestId("user-email").fill(PEOPLE.annotator.email);
    await page.getByTestId("user-name").fill("Someone");
    await page.getByTestId("user-create").click();
    await expect(page.getByTestId("user-error")).toHaveText("A user with this email already exists");
  });

  test("a disabled account cannot sign in, and works again once enabled", async ({ page, browser }) => {
    await apiSignIn(page.request, PEOPLE.admin);
    await page.request.post("/api/users", {
      data: { email: "temp@e2e.test", name: "Temp", password: "temp-password-1" },
    });
    await page.goto("/admin/users");
    const row = page.getByTestId("user-row").filter({ hasText: "temp@e2e.test" });
    await row.getByTestId("user-toggle-disabled").click();
    await expect(row).toContainText("disabled");

    const other = await browser.newContext();
    const person = await other.newPage();
    await uiSignIn(person, "temp@e2e.test", "temp-password-1");
    await expect(person.getByTestId("login-error")).toContainText("disabled");

    await row.getByTestId("user-toggle-disabled").click();
    await expect(row).toContainText("active");
    await uiSignIn(person, "temp@e2e.test", "temp-password-1");
    await expect(person).toHaveURL(/\/projects$/);
    await other.close();
  });
});
