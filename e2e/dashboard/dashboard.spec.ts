import { expect, test } from "@playwright/test";
import { PEOPLE } from "../fixtures/people";
import { apiSignIn, fixtures } from "../fixtures/session";

test.describe("manager dashboard", () => {
  test("the manager opens the dashboard: annotator table (or its empty state), queues and charts", async ({ page }) => {
    const { projectA } = fixtures();
    await apiSignIn(page.request, PEOPLE.manager);
    await page.goto(`/projects/${projectA}`);
    await page.getByTestId("tab-dashboard").click();
    await expect(page).toHaveURL(new RegExp(`/projects/${projectA}/dashboard$`));
    await expect(page.getByTestId("tab-dashboard")).toHaveAttribute("aria-current", "page");
    await expect(page.getByTestId("dashboard")).toBeVisible();

    await expect(page.getByTestId("stat-images-waiting")).toBeVisible();
    await expect(page.getByTestId("stat-reviews-waiting")).toBeVisible();
    await expect(page.getByTestId("chart-status")).toBeVisible();
    await expect(page.getByTestId("chart-flags")).toBeVisible();
    await expect(page.getByRole("heading", { name: "Annotations by status" })).toBeVisible();
    await expect(page.getByRole("heading", { name: "Quality flags by code" })).toBeVisible();

    // Other specs may or may not have left annotations in project A: accept either state.
    const table = page.getByTestId("annotator-table");
    const empty = page.getByTestId("annotators-empty");
    await expect(table.or(empty)).toBeVisible();
    if (await table.isVisible()) {
      await expect(page.getByTestId("annotator-row").first()).toBeVisible();
      const header = page.getByTestId("sort-handsPerHour");
      const th = page.locator("th").filter({ has: header });
      await expect(th).toHaveAttribute("aria-sort", "none");
      await header.focus();
      await page.keyboard.press("Enter");
      await expect(th).toHaveAttribute("aria-sort", /ascending|descending/);
      await expect(page.locator("th").filter({ has: page.getByTestId("sort-name") })).toHaveAttribute(
        "aria-sort",
        "none",
      );
      // The status chart is drawn (an SVG) with its table fallback beneath.
      await expect(page.getByTestId("chart-status-canvas").locator("svg").first()).toBeVisible();
      await page.getByTestId("chart-status-table").locator("summary").click();
      await expect(page.getByTestId("chart-status-table").locator("tbody tr")).toHaveCount(6);
    } else {
      await expect(empty).toContainText("No annotations yet");
      await expect(page.getByTestId("chart-status-empty")).toBeVisible();
    }
  });

  test("an annotator gets 403 on the dashboard and sees no Dashboard tab", async ({ page }) => {
    const { projectA } = fixtures();
    await apiSignIn(page.request, PEOPLE.annotator);
    const response = await page.goto(`/projects/${projectA}/dashboard`);
    expect(response?.status()).toBe(403);
    await expect(page.getByTestId("page-forbidden")).toBeVisible();
    await page.goto(`/projects/${projectA}`);
    await expect(page.getByTestId("project-title")).toBeVisible();
    await expect(page.getByTestId("tab-dashboard")).toHaveCount(0);
  });

  test("a reviewer gets 403 too; another project's dashboard is 404", async ({ page }) => {
    const { projectA, projectB } = fixtures();
    await apiSignIn(page.request, PEOPLE.reviewer);
    expect((await page.goto(`/projects/${projectA}/dashboard`))?.status()).toBe(403);
    expect((await page.goto(`/projects/${projectB}/dashboard`))?.status()).toBe(404);
  });
});
