import { expect, test } from "@playwright/test";
import { PEOPLE } from "../fixtures/people";
import { apiSignIn } from "../fixtures/session";
import { clickImage, handPoint, waitSaved, workspaceDoc } from "../fixtures/workspace";
import { label, labelAndSubmit, reviewProject } from "../fixtures/review";

test.describe("review flow", () => {
  test("reject with a pin, fix and resubmit, accept; nobody reviews their own work", async ({
    page,
    browser,
    playwright,
    baseURL,
  }) => {
    const manager = await playwright.request.newContext({ baseURL });
    await apiSignIn(manager, PEOPLE.manager);
    const project = { id: await reviewProject(manager, "Review tests", 2) };

    const annotator = await playwright.request.newContext({ baseURL });
    await apiSignIn(annotator, PEOPLE.annotator);
    const annotationId = await labelAndSubmit(annotator, project.id);

    // The annotator also reviews here, but never their own work.
    const own = await (await annotator.post(`/api/projects/${project.id}/review/claim`)).json();
    expect(own.reviewId).toBeNull();
    expect(own.message).toContain("your own");

    // The reviewer returns it with a pin on the index fingertip.
    await apiSignIn(page.request, PEOPLE.reviewer);
    await page.goto(`/projects/${project.id}/review`);
    await page.getByTestId("start-reviewing").click();
    await expect(page).toHaveURL(/\/review\/[^/]+$/);
    await expect(page.getByTestId("review-info")).toContainText(`By ${PEOPLE.annotator.name} · 42 s active`);
    await expect
      .poll(async () => JSON.parse((await page.getByTestId("annotate-canvas").getAttribute("data-camera"))!).scale)
      .not.toBe(1);
    await page.getByTestId("review-pin-mode").click();
    await clickImage(page, handPoint(8).x + 20, handPoint(8).y);
    await page.getByTestId("review-pin-message-0").fill("The index tip is further right");
    await page.getByTestId("review-comment").fill("Please check the index finger");
    await page.getByTestId("review-reject").click();
    await expect(page).toHaveURL(/\/projects\/[^/]+\/review\?finished=1$/);

    // The annotator sees the pin, fixes, resubmits.
    const annotatorContext = await browser.newContext();
    const annotatorPage = await annotatorContext.newPage();
    await apiSignIn(annotatorPage.request, PEOPLE.annotator);
    await annotatorPage.goto(`/projects/${project.id}/annotate`);
    await annotatorPage.getByTestId("work-returned").getByRole("link").first().click();
    await expect(annotatorPage.getByTestId("returned-review")).toContainText("Please check the index finger");
    await expect(annotatorPage.getByTestId("returned-pins")).toContainText("The index tip is further right");
    await expect
      .poll(
        async () => JSON.parse((await annotatorPage.getByTestId("annotate-canvas").getAttribute("data-camera"))!).scale,
      )
      .not.toBe(1);
    await annotatorPage.getByTestId("joint-item-8").click();
    for (let i = 0; i < 2; i++) await annotatorPage.keyboard.press("Shift+ArrowRight");
    await waitSaved(annotatorPage);
    expect((await workspaceDoc(annotatorPage)).hands[0].keypoints[8].x).toBe(handPoint(8).x + 20);
    await annotatorPage.getByTestId("button-submit").click();
    await expect(annotatorPage).not.toHaveURL(new RegExp(`/annotate/${annotationId}$`));
    await annotatorContext.close();

    // Round two: the reviewer resolves the pin's issue and accepts (an open issue would refuse the accept).
    await page.getByTestId("start-reviewing").click();
    await expect(page).toHaveURL(/\/review\/[^/]+$/);
    await expect(page.getByTestId("review-info")).toContainText("round 2");
    // The history says what the button said.
    await expect(page.getByTestId("review-earlier")).toContainText(
      `Round 1: Returned to annotator by ${PEOPLE.reviewer.name}`,
    );
    await page.getByTestId("issue-resolve-0").click();
    await expect(page.getByTestId("issue-0")).toHaveAttribute("data-resolved", "true");
    await page.getByTestId("review-accept").click();
    await expect(page).toHaveURL(/finished=1$/);
    const mine = await (await annotator.get(`/api/projects/${project.id}/queue/mine`)).json();
    expect([...mine.submitted, ...mine.returned].map((i: { annotationId: string }) => i.annotationId)).not.toContain(
      annotationId,
    );
    await annotator.dispose();
    await manager.dispose();
  });

  test("a hand with left and right swapped shows a strong flag in the workspace and on the review screen", async ({
    page,
    playwright,
    baseURL,
  }) => {
    const manager = await playwright.request.newContext({ baseURL });
    await apiSignIn(manager, PEOPLE.manager);
    const projectId = await reviewProject(manager, "Swapped hands", 1);
    await apiSignIn(page.request, PEOPLE.annotator);
    const { annotationId } = await label(page.request, projectId, "right");
    await page.goto(`/annotate/${annotationId}`);
    await expect(page.getByTestId("quality-flags")).toHaveAttribute("data-strong", "1");
    await expect(page.locator('[data-testid="quality-flag"][data-code="handedness-mismatch"]')).toHaveAttribute(
      "data-severity",
      "strong",
    );
    await page.getByTestId("button-submit").click(); // a flag informs; it does not block submitting
    await expect(page).not.toHaveURL(new RegExp(`/annotate/${annotationId}$`));

    await page.context().clearCookies();
    await apiSignIn(page.request, PEOPLE.reviewer);
    await page.goto(`/projects/${projectId}/review`);
    await page.getByTestId("start-reviewing").click();
    await expect(page).toHaveURL(/\/review\/[^/]+$/);
    await expect(page.locator('[data-testid="quality-flag"][data-code="handedness-mismatch"]')).toHaveAttribute(
      "data-severity",
      "strong",
    );
    await manager.dispose();
  });
});
