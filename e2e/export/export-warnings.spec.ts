import { expect, test, type Page } from "@playwright/test";
import { PEOPLE } from "../fixtures/people";
import { apiSignIn } from "../fixtures/session";
import { labelAndSubmit, reviewProject } from "../fixtures/review";

async function startExport(page: Page, projectId: string) {
  await page.goto(`/projects/${projectId}/exports`);
  await page.getByTestId("export-start").click();
  const row = page.getByTestId("export-row").first();
  await expect(row).toHaveAttribute("data-status", "done", { timeout: 60_000 });
  return row;
}

test("an empty export and an empty test split say so; realised subjects per split are shown", async ({
  page,
  playwright,
  baseURL,
}) => {
  const manager = await playwright.request.newContext({ baseURL });
  await apiSignIn(manager, PEOPLE.manager);
  const projectId = await reviewProject(manager, "Export warnings", 1);
  await apiSignIn(page.request, PEOPLE.manager);

  // Nothing accepted yet: the export has no image.
  const empty = await startExport(page, projectId);
  await expect(empty.getByTestId("export-contents")).toContainText("0 images");
  await expect(empty.getByTestId("export-warning")).toContainText("This export is empty");

  // One subject, accepted: it all goes to train; val and test are empty, and the page says so.
  const annotator = await playwright.request.newContext({ baseURL });
  await apiSignIn(annotator, PEOPLE.annotator);
  await labelAndSubmit(annotator, projectId);
  const reviewer = await playwright.request.newContext({ baseURL });
  await apiSignIn(reviewer, PEOPLE.reviewer);
  const { reviewId } = await (await reviewer.post(`/api/projects/${projectId}/review/claim`)).json();
  // Version 3: created at 1, saved once (2), submitted (3).
  expect(
    (await reviewer.post(`/api/reviews/${reviewId}/decide`, { data: { decision: "accept", version: 3 } })).status(),
  ).toBe(200);

  const one = await startExport(page, projectId);
  await expect(one.getByTestId("export-contents")).toContainText("1 image · 1 hand · 1 subject");
  await expect(one.getByTestId("export-splits")).toHaveText("Subjects per split: train 1 · val 0 · test 0");
  await expect(one.getByTestId("export-warning").filter({ hasText: "The test split is empty" })).toBeVisible();
  await annotator.dispose();
  await reviewer.dispose();
  await manager.dispose();
});
