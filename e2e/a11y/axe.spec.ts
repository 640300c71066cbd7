import { expect, test } from "@playwright/test";
import { seriousViolations } from "../fixtures/axe";
import { PEOPLE } from "../fixtures/people";
import { apiSignIn } from "../fixtures/session";
import { label, labelAndSubmit, reviewProject } from "../fixtures/review";

test("no serious or critical accessibility violation on the main pages", async ({ page, playwright, baseURL }) => {
  test.setTimeout(180_000);
  const manager = await playwright.request.newContext({ baseURL });
  await apiSignIn(manager, PEOPLE.manager);
  const projectId = await reviewProject(manager, "Accessibility", 3);
  const annotator = await playwright.request.newContext({ baseURL });
  await apiSignIn(annotator, PEOPLE.annotator);
  await labelAndSubmit(annotator, projectId);
  const { annotationId: draft } = await label(annotator, projectId);
  const { images } = await (await manager.get(`/api/projects/${projectId}/images`)).json();

  const found: Record<string, string[]> = {};
  const check = async (name: string, url: string, ready: () => Promise<void> = async () => {}) => {
    await page.goto(url);
    await ready();
    found[name] = await seriousViolations(page);
  };

  await apiSignIn(page.request, PEOPLE.manager);
  await check("projects", "/projects");
  await check("images", `/projects/${projectId}/images`);
  await check("image", `/projects/${projectId}/images/${images[0].id}`);
  await check("dashboard", `/projects/${projectId}/dashboard`);
  await check("exports", `/projects/${projectId}/exports`);
  await check("subjects", `/projects/${projectId}/subjects`);

  await page.context().clearCookies();
  await apiSignIn(page.request, PEOPLE.annotator);
  await check("workspace", `/annotate/${draft}`, async () => {
    await expect(page.getByTestId("annotate-canvas")).toBeVisible();
    await page.getByTestId("hand-item-0").click(); // a hand selected: its metadata form is on screen
  });

  await page.context().clearCookies();
  await apiSignIn(page.request, PEOPLE.reviewer);
  await page.goto(`/projects/${projectId}/review`);
  await page.getByTestId("start-reviewing").click();
  await expect(page).toHaveURL(/\/review\/[^/]+$/);
  await check("review", page.url(), async () => {
    await expect(page.getByTestId("review-meta")).toBeVisible();
  });

  expect(found).toEqual({
    projects: [],
    images: [],
    image: [],
    dashboard: [],
    exports: [],
    subjects: [],
    workspace: [],
    review: [],
  });
  await annotator.dispose();
  await manager.dispose();
});
