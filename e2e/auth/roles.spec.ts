import { expect, test } from "@playwright/test";
import { PEOPLE } from "../fixtures/people";
import { apiSignIn, fixtures } from "../fixtures/session";

test.describe("each role sees only what it allows", () => {
  test("annotator: own project only, no admin pages (403), other projects are 404", async ({ page }) => {
    const { projectA, projectB } = fixtures();
    await apiSignIn(page.request, PEOPLE.annotator);
    await page.goto("/projects");
    await expect(page.getByTestId("project-card").filter({ hasText: "E2E Project A" })).toHaveCount(1);
    await expect(page.getByTestId("project-list")).not.toContainText("E2E Project B");
    await expect(page.getByTestId("nav-admin")).toHaveCount(0);

    const admin = await page.goto("/admin/users");
    expect(admin?.status()).toBe(403);
    await expect(page.getByTestId("page-forbidden")).toBeVisible();

    const other = await page.goto(`/projects/${projectB}`);
    expect(other?.status()).toBe(404);
    await expect(page.getByTestId("page-not-found")).toBeVisible();
    // The other project's name never appears.
    await expect(page.locator("body")).not.toContainText("E2E Project B");

    const settings = await page.goto(`/projects/${projectA}/settings`);
    expect(settings?.status()).toBe(403);

    await page.goto(`/projects/${projectA}/members`);
    await expect(page.getByTestId("member-row")).toHaveCount(4);
    await expect(page.getByTestId("member-add")).toHaveCount(0);
    await expect(page.getByTestId("tab-settings")).toHaveCount(0);
  });

  test("reviewer: sees the project, cannot change members or settings", async ({ page }) => {
    const { projectA } = fixtures();
    await apiSignIn(page.request, PEOPLE.reviewer);
    await page.goto(`/projects/${projectA}`);
    await expect(page.getByTestId("project-title")).toHaveText("E2E Project A");
    const response = await page.request.post(`/api/projects/${projectA}/members`, {
      data: { email: PEOPLE.outsider.email, roles: ["annotator"] },
    });
    expect(response.status()).toBe(403);
  });

  test("manager: settings and member management, no admin pages", async ({ page }) => {
    const { projectA } = fixtures();
    await apiSignIn(page.request, PEOPLE.manager);
    await page.goto(`/projects/${projectA}`);
    await expect(page.getByTestId("tab-settings")).toBeVisible();
    await page.getByTestId("tab-members").click();
    await expect(page.getByTestId("member-add")).toBeVisible();
    expect((await page.goto("/admin/users"))?.status()).toBe(403);
  });

  test("outsider: does not see project A at all", async ({ page }) => {
    const { projectA } = fixtures();
    await apiSignIn(page.request, PEOPLE.outsider);
    await page.goto("/projects");
    await expect(page.getByTestId("project-card")).toHaveCount(1);
    await expect(page.getByTestId("project-card")).toContainText("E2E Project B");
    expect((await page.goto(`/projects/${projectA}/members`))?.status()).toBe(404);
    expect((await page.request.get(`/api/projects/${projectA}`)).status()).toBe(404);
  });

  test("admin: sees every project and the user administration", async ({ page }) => {
    await apiSignIn(page.request, PEOPLE.admin);
    await page.goto("/projects");
    for (const name of ["Demo: everyday gestures", "E2E Project A", "E2E Project B"]) {
      await expect(page.getByTestId("project-card").filter({ hasText: name })).toHaveCount(1);
    }
    await page.getByTestId("nav-admin").click();
    await expect(page.getByTestId("user-row").filter({ hasText: PEOPLE.annotator.email })).toBeVisible();
  });
});
