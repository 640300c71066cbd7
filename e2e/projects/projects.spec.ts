import { expect, test } from "@playwright/test";
import { PEOPLE } from "../fixtures/people";
import { apiSignIn } from "../fixtures/session";

test.describe("projects", () => {
  test("a manager creates a project, adds members with roles, and they see it", async ({ page, browser }) => {
    await apiSignIn(page.request, PEOPLE.manager);
    await page.goto("/projects");
    await page.getByTestId("project-new").click();
    await page.getByTestId("project-name").fill("Kitchen grasps");
    await page.getByTestId("project-description").fill("Hands holding utensils");
    await page.getByTestId("project-annotationsPerImage").fill("2");
    await page.getByTestId("project-submit").click();
    await expect(page).toHaveURL(/\/projects\/[^/]+\/members$/);
    await expect(page.getByTestId("project-title")).toHaveText("Kitchen grasps");

    await page.getByTestId("member-email").fill(PEOPLE.outsider.email);
    await page.getByTestId("member-new-role-reviewer").check();
    await page.getByTestId("member-add").click();
    await expect(page.getByTestId("member-notice")).toHaveText(
      `${PEOPLE.outsider.name} now works here as annotator, reviewer`,
    );
    const row = page.getByTestId("member-row").filter({ hasText: PEOPLE.outsider.email });
    await expect(row.getByTestId("member-role-annotator")).toBeChecked();
    await expect(row.getByTestId("member-role-reviewer")).toBeChecked();

    await page.getByTestId("member-email").fill("nobody@e2e.test");
    await page.getByTestId("member-add").click();
    await expect(page.getByTestId("member-error")).toContainText("No user with this email");

    const other = await browser.newContext();
    const outsider = await other.newPage();
    await apiSignIn(outsider.request, PEOPLE.outsider);
    await outsider.goto("/projects");
    await expect(outsider.getByTestId("project-card").filter({ hasText: "Kitchen grasps" })).toBeVisible();

    // Removing the member takes the project away from them at once.
    await row.getByTestId("member-remove").click();
    await expect(page.getByTestId("member-row").filter({ hasText: PEOPLE.outsider.email })).toHaveCount(0);
    await outsider.reload();
    await expect(outsider.getByTestId("project-card").filter({ hasText: "Kitchen grasps" })).toHaveCount(0);
    await other.close();
  });

  test("settings are saved and invalid values are named", async ({ page }) => {
    await apiSignIn(page.request, PEOPLE.manager);
    const { project } = await (await page.request.post("/api/projects", { data: { name: "Settings test" } })).json();
    await page.goto(`/projects/${project.id}/settings`);
    await page.getByTestId("project-retentionDays").fill("5000");
    await page.getByTestId("project-submit").click();
    await expect(page.getByTestId("project-error")).toContainText("retentionDays");
    await page.getByTestId("project-retentionDays").fill("365");
    await page.getByTestId("project-reviewSamplePercent").fill("25");
    await page.getByTestId("project-submit").click();
    await expect(page.getByTestId("project-saved")).toBeVisible();
    const saved = await (await page.request.get(`/api/projects/${project.id}`)).json();
    expect(saved.project.retentionDays).toBe(365);
    expect(saved.project.reviewSampleRate).toBe(0.25);
  });

  test("the manager cannot remove the last manager", async ({ page }) => {
    await apiSignIn(page.request, PEOPLE.manager);
    const { project } = await (await page.request.post("/api/projects", { data: { name: "Solo" } })).json();
    const { members } = await (await page.request.get(`/api/projects/${project.id}/members`)).json();
    const me = members[0].userId;
    const response = await page.request.delete(`/api/projects/${project.id}/members/${me}`);
    expect(response.status()).toBe(409);
    expect((await response.json()).error).toContain("at least one manager");
  });
});
