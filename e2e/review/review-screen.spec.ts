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
  test("outside 'Fix labels' a joint cannot be dragged: what is drawn is what is stored", async ({ page, playwright, baseURL }) => {
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
});
