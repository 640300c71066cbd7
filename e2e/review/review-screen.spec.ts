import { expect, test } from "@playwright/test";
import { PEOPLE } from "../fixtures/people";
import { apiSignIn } from "../fixtures/session";
import { handPoint, screenPoint } from "../fixtures/workspace";
import { drawnJoint, labelAndSubmit, openNextReview, reviewDoc, reviewProject } from "../fixtures/review";

async function drag(page: import("@playwright/test").Page, from: { x: number; y: number }, dx: number) {
  await page.mouse.move(from.x, from.y);
  await page.mouse.down();
  await page.mouse.move(from.x + dx / 2, from.y, { steps: 5 });
  await page.mouse.move(from.x + dx, from.y, { steps: 5 });
  await page.mouse.up();
}

test.describe("review screen", () => {
  test("outside 'Fix labels' a joint cannot be dragged: what is drawn is what is stored", async ({
    page,
    playwright,
    baseURL,
  }) => {
    const manager = await playwright.request.newContext({ baseURL });
    await apiSignIn(manager, PEOPLE.manager);
    const projectId = await reviewProject(manager, "Review: no drag", 1);
    const annotator = await playwright.request.newContext({ baseURL });
    await apiSignIn(annotator, PEOPLE.annotator);
    await labelAndSubmit(annotator, projectId);

    await apiSignIn(page.request, PEOPLE.reviewer);
    await openNextReview(page, projectId);
    await drag(page, await screenPoint(page, handPoint(8).x, handPoint(8).y), 60);
    expect((await reviewDoc(page)).hands[0]!.keypoints[8]!.x).toBe(handPoint(8).x);
    expect(await drawnJoint(page, 0, 8)).toEqual(handPoint(8));

    // In "Fix labels" the same drag moves the joint, in the data and on screen alike.
    await page.getByTestId("review-fix-mode").click();
    await drag(page, await screenPoint(page, handPoint(8).x, handPoint(8).y), 60);
    const fixed = (await reviewDoc(page)).hands[0]!.keypoints[8]!;
    expect(fixed.x).toBeGreaterThan(handPoint(8).x + 20);
    const drawn = await drawnJoint(page, 0, 8);
    expect(Math.abs(drawn.x - fixed.x)).toBeLessThan(1);
    expect(Math.abs(drawn.y - fixed.y)).toBeLessThan(1);
    await annotator.dispose();
    await manager.dispose();
  });

  test("Tab from the comment box moves focus on to the next control", async ({ page, playwright, baseURL }) => {
    const manager = await playwright.request.newContext({ baseURL });
    await apiSignIn(manager, PEOPLE.manager);
    const projectId = await reviewProject(manager, "Review: keyboard", 1);
    const annotator = await playwright.request.newContext({ baseURL });
    await apiSignIn(annotator, PEOPLE.annotator);
    await labelAndSubmit(annotator, projectId);

    await apiSignIn(page.request, PEOPLE.reviewer);
    await openNextReview(page, projectId);
    const selection = await page.getByTestId("review-workspace").getAttribute("data-selection");
    await page.getByTestId("review-comment").focus();
    await page.keyboard.press("Tab");
    await expect(page.getByTestId("review-pin-mode")).toBeFocused();
    await page.keyboard.press("Shift+Tab");
    await expect(page.getByTestId("review-comment")).toBeFocused();
    // Focus moved; no joint was switched on the way.
    expect(await page.getByTestId("review-workspace").getAttribute("data-selection")).toBe(selection);
    await annotator.dispose();
    await manager.dispose();
  });

  test("reviewer shortcuts decide from the keyboard; the manager sees the labels and their history on the image page", async ({
    page,
    browser,
    playwright,
    baseURL,
  }) => {
    const manager = await playwright.request.newContext({ baseURL });
    await apiSignIn(manager, PEOPLE.manager);
    const projectId = await reviewProject(manager, "Review: shortcuts", 1);
    const annotator = await playwright.request.newContext({ baseURL });
    await apiSignIn(annotator, PEOPLE.annotator);
    const annotationId = await labelAndSubmit(annotator, projectId);

    await apiSignIn(page.request, PEOPLE.reviewer);
    await openNextReview(page, projectId);
    // Metadata is visible without "Fix labels".
    await expect(page.getByTestId("review-meta-gesture")).toHaveText("palm");
    await page.keyboard.press("?");
    await expect(page.getByTestId("help-dialog")).toContainText("Return to annotator");
    await expect(page.getByTestId("help-dialog")).not.toContainText("Detect hands");
    await page.keyboard.press("Escape");
    await page.keyboard.press("f");
    await expect(page.getByTestId("review-fix-mode")).toHaveAttribute("aria-pressed", "true");
    await page.keyboard.press("f");
    await expect(page.getByTestId("review-fix-mode")).toHaveAttribute("aria-pressed", "false");
    // Returning needs a comment: the shortcut asks for one and puts the cursor there.
    await page.keyboard.press("Control+Shift+Enter");
    await expect(page.getByTestId("review-error")).toContainText("Write what to fix");
    await expect(page.getByTestId("review-comment")).toBeFocused();
    await page.keyboard.type("The thumb tip is off");
    await page.keyboard.press("Control+Shift+Enter");
    await expect(page).toHaveURL(/finished=1$/);

    // The annotator resubmits unchanged; the reviewer accepts with Ctrl+Enter.
    const current = await (await annotator.get(`/api/projects/${projectId}/queue/mine`)).json();
    expect(current.returned.map((i: { annotationId: string }) => i.annotationId)).toContain(annotationId);
    const annotatorPage = await (await browser.newContext()).newPage();
    await apiSignIn(annotatorPage.request, PEOPLE.annotator);
    await annotatorPage.goto(`/annotate/${annotationId}`);
    await annotatorPage.getByTestId("button-submit").click();
    await expect(annotatorPage).not.toHaveURL(new RegExp(`/annotate/${annotationId}$`));
    await annotatorPage.context().close();
    await openNextReview(page, projectId);
    await page.keyboard.press("Control+Enter");
    await expect(page).toHaveURL(/finished=1$/);

    // The manager opens the image: the accepted hand is drawn, with the whole history.
    await page.context().clearCookies();
    await apiSignIn(page.request, PEOPLE.manager);
    const { images } = await (await manager.get(`/api/projects/${projectId}/images`)).json();
    await page.goto(`/projects/${projectId}/images/${images[0].id}`);
    await expect(page.getByTestId("image-labels")).toBeVisible();
    await expect(page.getByTestId("image-label-0")).toContainText(`${PEOPLE.annotator.name} · accepted`);
    const shown = JSON.parse((await page.getByTestId("image-labels-canvas").getAttribute("data-doc"))!);
    expect(shown.hands).toHaveLength(1);
    await expect
      .poll(() =>
        page.evaluate(
          () =>
            (window as unknown as { Konva: { stages: { find: (s: string) => unknown[] }[] } }).Konva.stages[0]!.find(
              "Circle",
            ).length,
        ),
      )
      .toBeGreaterThanOrEqual(21);
    const history = page.getByTestId("image-label-history");
    await expect(history).toContainText("Claimed for labelling");
    await expect(history).toContainText("Submitted labels");
    await expect(history).toContainText("Returned to annotator");
    await expect(history).toContainText("The thumb tip is off");
    await expect(history).toContainText("Accepted");
    await annotator.dispose();
    await manager.dispose();
  });
});
