import { expect as baseExpect, test, type APIRequestContext, type Browser, type Page } from "@playwright/test";
import { seriousViolations } from "../fixtures/axe";
import { PEOPLE, type TPerson } from "../fixtures/people";
import { apiSignIn } from "../fixtures/session";
import { label, labelAndSubmit, reviewProject } from "../fixtures/review";
import { clickImage, handPoint, waitSaved } from "../fixtures/workspace";

// The canvas screens load their Konva chunk on the client: on a loaded shared machine that takes longer than 5 s.
const expect = baseExpect.configure({ timeout: 30_000 });

/** Waits until the workspace or review canvas has measured itself and fitted the image. */
async function canvasFitted(page: Page) {
  await expect(page.getByTestId("annotate-canvas")).toBeVisible();
  await expect
    .poll(async () => JSON.parse((await page.getByTestId("annotate-canvas").getAttribute("data-camera"))!).scale, {
      timeout: 30_000,
    })
    .not.toBe(1);
}

async function openNextReview(page: Page, projectId: string) {
  await page.goto(`/projects/${projectId}/review`);
  await page.getByTestId("start-reviewing").click();
  await expect(page).toHaveURL(/\/review\/[^/]+$/);
  await canvasFitted(page);
}

/** A signed-in API context and a browser page of one person. */
async function person(browser: Browser, who: TPerson) {
  const context = await browser.newContext();
  const page = await context.newPage();
  await apiSignIn(page.request, who);
  return { context, page, api: page.request as APIRequestContext };
}

test.describe("review and workspace for a team (issue 14)", () => {
  test("a manager finds an accepted labelling in the dataset browser and opens it with its labels and history", async ({
    page,
    browser,
    playwright,
    baseURL,
  }) => {
    test.setTimeout(120_000);
    const manager = await playwright.request.newContext({ baseURL });
    await apiSignIn(manager, PEOPLE.manager);
    const projectId = await reviewProject(manager, "Dataset browser", 2);
    const annotator = await playwright.request.newContext({ baseURL });
    await apiSignIn(annotator, PEOPLE.annotator);
    const accepted = await labelAndSubmit(annotator, projectId);
    const { annotationId: draft } = await label(annotator, projectId);
    const reviewer = await person(browser, PEOPLE.reviewer);
    await openNextReview(reviewer.page, projectId);
    await reviewer.page.getByTestId("review-accept").click();
    await expect(reviewer.page).toHaveURL(/finished=1$/);
    await reviewer.context.close();

    await apiSignIn(page.request, PEOPLE.manager);
    await page.goto(`/projects/${projectId}`);
    await page.getByTestId("tab-labels").click();
    await expect(page.getByTestId("labels-row")).toHaveCount(2);
    // Filters are URL search params, applied by the database.
    await page.getByTestId("labels-status").selectOption("accepted");
    await page.getByRole("button", { name: "Filter" }).click();
    await expect(page).toHaveURL(/status=accepted/);
    await expect(page.getByTestId("labels-row")).toHaveCount(1);
    const row = page.getByTestId("labels-row").first();
    await expect(row).toHaveAttribute("data-annotation", accepted);
    await expect(row.getByTestId("labels-file")).toContainText(`review-${projectId}-`);
    await page.goto(`/projects/${projectId}/labels?status=draft&gesture=palm&view=palm&source=manual`);
    await expect(page.getByTestId("labels-row")).toHaveCount(1);
    await expect(page.getByTestId("labels-row").first()).toHaveAttribute("data-annotation", draft);
    await page.goto(`/projects/${projectId}/labels?gold=yes`);
    await expect(page.getByTestId("labels-empty")).toBeVisible();
    await page.goto(`/projects/${projectId}/labels?flag=no-such-flag`);
    await expect(page.getByTestId("labels-ignored")).toContainText('flag "no-such-flag"');
    await expect(page.getByTestId("labels-row")).toHaveCount(2);

    // Read-only: the image page draws the labels and tells the whole story.
    await page.goto(`/projects/${projectId}/labels?status=accepted`);
    await page.getByTestId("labels-open").first().click();
    await expect(page).toHaveURL(new RegExp(`/projects/${projectId}/images/[^/#]+`));
    await expect(page.getByTestId("image-labels")).toBeVisible();
    const history = page.getByTestId("image-label-history");
    await expect(history).toContainText("Claimed for labelling");
    await expect(history).toContainText("Submitted labels");
    await expect(history).toContainText("Accepted");

    // Fix mode from the browser: the manager moves the index tip and saves a correction, recorded as a round.
    await page.goto(`/projects/${projectId}/labels?status=accepted`);
    await page.getByTestId("labels-fix").first().click();
    await expect(page).toHaveURL(new RegExp(`label=${accepted}&fix=1`));
    await expect(page.getByTestId("image-labels-save-fix")).toBeVisible();
    await canvasFitted(page);
    const indexTipX = async () =>
      JSON.parse((await page.getByTestId("image-labels-canvas").getAttribute("data-doc"))!).hands[0].keypoints[8].x;
    const before = await indexTipX();
    await page.getByTestId("joint-item-8").click();
    for (let i = 0; i < 3; i++) await page.keyboard.press("Shift+ArrowRight");
    await expect.poll(indexTipX).toBeGreaterThan(before);
    await page.getByTestId("image-labels-fix-comment").fill("Index tip was short");
    await page.getByTestId("image-labels-save-fix").click();
    await expect(page.getByTestId("image-labels-fix")).toBeVisible();
    await expect(page.getByTestId("image-label-reviews")).toContainText(
      `Round 2: Fixed and accepted by ${PEOPLE.manager.name} — “Index tip was short”`,
    );
    await expect.poll(indexTipX).toBeGreaterThan(before);
    await expect(history).toContainText("Fixed and accepted");
    await annotator.dispose();
    await manager.dispose();
  });

  test("a manager assigns work: the assignee gets it first, nobody else can claim it, due counts follow", async ({
    page,
    browser,
    playwright,
    baseURL,
  }) => {
    test.setTimeout(120_000);
    const manager = await playwright.request.newContext({ baseURL });
    await apiSignIn(manager, PEOPLE.manager);
    const projectId = await reviewProject(manager, "Assignment", 3);
    // Rui labels here too.
    await manager.post(`/api/projects/${projectId}/members`, {
      data: { email: PEOPLE.reviewer.email, roles: ["annotator"] },
    });

    await apiSignIn(page.request, PEOPLE.manager);
    await page.goto(`/projects/${projectId}/assignments`);
    await page.getByTestId("assign-person").selectOption({ label: PEOPLE.annotator.name });
    await page.getByTestId("assign-count").fill("1");
    await page.getByTestId("assign-submit").click();
    await expect(page.getByTestId("assign-done")).toHaveText(`1 image assigned to ${PEOPLE.annotator.name}.`);
    const anaRow = page.getByTestId("assignment-row").filter({ hasText: PEOPLE.annotator.name });
    await expect(anaRow.getByTestId("assignment-due")).toHaveText("1");
    const { images } = await (await manager.get(`/api/projects/${projectId}/images`)).json();
    const assigned = images.filter((i: { assignedTo: string | null }) => i.assignedTo === PEOPLE.annotator.name);
    expect(assigned).toHaveLength(1);
    await page.goto(`/projects/${projectId}/images`);
    await expect(page.getByTestId("gallery-assignee")).toHaveText(`→ ${PEOPLE.annotator.name}`);

    // Rui takes the two open images; the assigned one is not his to claim.
    const rui = await playwright.request.newContext({ baseURL });
    await apiSignIn(rui, PEOPLE.reviewer);
    await labelAndSubmit(rui, projectId);
    await labelAndSubmit(rui, projectId);
    const none = await (await rui.post(`/api/projects/${projectId}/queue/claim`)).json();
    expect(none.annotationId).toBeNull();

    // Ana sees her assigned work and gets it first.
    const ana = await person(browser, PEOPLE.annotator);
    await ana.page.goto(`/projects/${projectId}/annotate`);
    await expect(ana.page.getByTestId("assigned-to-me")).toContainText("1 image assigned to you");
    await ana.page.getByTestId("start-annotating").click();
    await expect(ana.page).toHaveURL(/\/annotate\/[^/]+$/);
    const { annotationId, version } = await label(ana.api, projectId); // resumes the claimed draft
    const held = await (await ana.api.get(`/api/projects/${projectId}/queue/mine`)).json();
    expect(held.drafts.map((d: { imageId: string }) => d.imageId)).toEqual([assigned[0].id]);
    expect((await ana.api.post(`/api/annotations/${annotationId}/submit`, { data: { version } })).status()).toBe(200);
    await page.goto(`/projects/${projectId}/assignments`);
    await expect(anaRow.getByTestId("assignment-due")).toHaveText("0");
    await expect(anaRow.getByTestId("assignment-done")).toHaveText("1");
    await ana.context.close();
    await rui.dispose();
    await manager.dispose();
  });

  test("an issue thread across two rounds: raised, answered, shown with what changed, resolved", async ({
    page,
    browser,
    playwright,
    baseURL,
  }) => {
    test.setTimeout(150_000);
    const manager = await playwright.request.newContext({ baseURL });
    await apiSignIn(manager, PEOPLE.manager);
    const projectId = await reviewProject(manager, "Issues", 1);
    const annotatorApi = await playwright.request.newContext({ baseURL });
    await apiSignIn(annotatorApi, PEOPLE.annotator);
    const annotationId = await labelAndSubmit(annotatorApi, projectId);

    // Round 1: the reviewer pins the index tip and returns the work.
    await apiSignIn(page.request, PEOPLE.reviewer);
    await openNextReview(page, projectId);
    await page.getByTestId("review-pin-mode").click();
    await clickImage(page, handPoint(8).x + 20, handPoint(8).y);
    await page.getByTestId("review-pin-message-0").fill("The index tip is further right");
    await clickImage(page, handPoint(0).x, handPoint(0).y + 20);
    await page.getByTestId("review-pin-message-1").fill("Is the wrist at the crease?");
    await page.getByTestId("review-comment").fill("Please check the index finger");
    await page.getByTestId("review-reject").click();
    await expect(page).toHaveURL(/finished=1$/);

    // The annotator answers in the thread, moves the joint and resubmits.
    const ana = await person(browser, PEOPLE.annotator);
    await ana.page.goto(`/annotate/${annotationId}`);
    await canvasFitted(ana.page);
    const issue = ana.page.getByTestId("issue-0");
    await expect(issue).toContainText("The index tip is further right");
    await expect(issue).toHaveAttribute("data-resolved", "false");
    await ana.page.getByTestId("issue-reply-0").fill("Moved it onto the tip");
    await ana.page.getByTestId("issue-send-0").click();
    await expect(issue.getByTestId("issue-replies")).toContainText(`${PEOPLE.annotator.name}: Moved it onto the tip`);
    await ana.page.getByTestId("joint-item-8").click();
    for (let i = 0; i < 2; i++) await ana.page.keyboard.press("Shift+ArrowRight");
    await waitSaved(ana.page);
    await ana.page.getByTestId("button-submit").click();
    await expect(ana.page).not.toHaveURL(new RegExp(`/annotate/${annotationId}$`));
    await ana.context.close();

    // Round 2: what changed since the return, the earlier issue with its answer; the reviewer resolves it.
    await page.getByTestId("start-reviewing").click();
    await expect(page).toHaveURL(/\/review\/[^/]+$/);
    await expect(page.getByTestId("review-info")).toContainText("round 2");
    await canvasFitted(page);
    await expect(page.getByTestId("changes-since-return")).toContainText("Changed since round 1");
    await expect(page.getByTestId("changes-list")).toContainText("index_tip");
    const earlier = page.getByTestId("issue-0");
    await expect(earlier).toContainText("Moved it onto the tip");
    await page.getByTestId("issue-reply-0").fill("Looks right now");
    await page.getByTestId("issue-resolve-0").click();
    await expect(earlier).toHaveAttribute("data-resolved", "true");
    await expect(earlier).toContainText(`resolved by ${PEOPLE.reviewer.name}`);
    await expect(earlier).toContainText("Looks right now");
    // The second issue is still open: accepting is refused until it is resolved, here together with the accept.
    await expect(page.getByTestId("issues")).toContainText("Issues (1 open of 2)");
    await page.getByTestId("review-accept").click();
    await expect(page.getByTestId("review-error")).toContainText("1 issue from earlier rounds is still open");
    await page.getByTestId("review-resolve-accept").click();
    await expect(page).toHaveURL(/finished=1$/);

    // The manager reads the threads and the whole story on the image page.
    await page.context().clearCookies();
    await apiSignIn(page.request, PEOPLE.manager);
    await page.goto(`/projects/${projectId}/labels?status=accepted`);
    await page.getByTestId("labels-open").first().click();
    const threads = page.getByTestId("image-labels").getByTestId("issues");
    await expect(threads).toContainText("Issues (0 open of 2)");
    await expect(threads.getByTestId("issue-0")).toContainText("Moved it onto the tip");
    await expect(threads.getByTestId("issue-1")).toContainText(`resolved by ${PEOPLE.reviewer.name}`);
    await expect(threads.getByRole("textbox")).toHaveCount(0);
    const history = page.getByTestId("image-label-history");
    await expect(history).toContainText("Replied to a review issue");
    await expect(history).toContainText("Resolved a review issue");
    await annotatorApi.dispose();
    await manager.dispose();
  });

  test("reviewer Next (J) passes a review undecided; the workspace shows its undo history", async ({
    page,
    browser,
    playwright,
    baseURL,
  }) => {
    test.setTimeout(120_000);
    const manager = await playwright.request.newContext({ baseURL });
    await apiSignIn(manager, PEOPLE.manager);
    const projectId = await reviewProject(manager, "Shortcuts", 3);
    const annotatorApi = await playwright.request.newContext({ baseURL });
    await apiSignIn(annotatorApi, PEOPLE.annotator);
    await labelAndSubmit(annotatorApi, projectId);
    await labelAndSubmit(annotatorApi, projectId);

    await apiSignIn(page.request, PEOPLE.reviewer);
    await openNextReview(page, projectId);
    const first = page.url();
    await page.keyboard.press("j");
    await expect(page).toHaveURL(/\/review\/[^/]+$/);
    await expect(page).not.toHaveURL(first);
    await expect(page.getByTestId("review-info")).toContainText("round 1");
    // Accept (Ctrl+Enter) this one; the passed one is not handed back in this sitting.
    await canvasFitted(page);
    await page.keyboard.press("Control+Enter");
    await expect(page).toHaveURL(/finished=1$/);
    // It still waits for review: starting again hands it out.
    await page.getByTestId("start-reviewing").click();
    await expect(page).toHaveURL(/\/review\/[^/]+$/);
    await canvasFitted(page);
    await page.getByTestId("review-next").click();
    await expect(page).toHaveURL(/finished=1$/);

    // The annotator's workspace lists each step in words; undo and clicking a step go back.
    const ana = await person(browser, PEOPLE.annotator);
    await ana.page.goto(`/projects/${projectId}/annotate`);
    await ana.page.getByTestId("start-annotating").click();
    await expect(ana.page).toHaveURL(/\/annotate\/[^/]+$/);
    await canvasFitted(ana.page);
    await ana.page.keyboard.press("n");
    await clickImage(ana.page, handPoint(0).x, handPoint(0).y);
    await clickImage(ana.page, handPoint(1).x, handPoint(1).y);
    const history = ana.page.getByTestId("undo-history");
    await history.locator("summary").click();
    await expect(history.getByTestId("undo-step")).toHaveText([
      "Placed thumb_cmc, hand 1",
      "Placed wrist, hand 1",
      "Added hand 1",
    ]);
    await ana.page.keyboard.press("Control+z");
    await expect(history).toHaveAttribute("data-done", "2");
    await expect(history.getByTestId("redo-step")).toHaveText(["Placed thumb_cmc, hand 1"]);
    await history.getByRole("button", { name: "Added hand 1" }).click();
    await expect(history).toHaveAttribute("data-done", "1");
    await expect(history).toHaveAttribute("data-undone", "2");
    await ana.context.close();
    await annotatorApi.dispose();
    await manager.dispose();
  });

  test("the new manager pages have no serious or critical accessibility violation", async ({
    page,
    playwright,
    baseURL,
  }) => {
    test.setTimeout(90_000);
    const manager = await playwright.request.newContext({ baseURL });
    await apiSignIn(manager, PEOPLE.manager);
    const projectId = await reviewProject(manager, "Accessibility team pages", 2);
    const annotator = await playwright.request.newContext({ baseURL });
    await apiSignIn(annotator, PEOPLE.annotator);
    await labelAndSubmit(annotator, projectId);
    await apiSignIn(page.request, PEOPLE.manager);
    const found: Record<string, string[]> = {};
    for (const name of ["labels", "assignments", "imports"]) {
      await page.goto(`/projects/${projectId}/${name}`);
      found[name] = await seriousViolations(page);
    }
    expect(found).toEqual({ labels: [], assignments: [], imports: [] });
    await annotator.dispose();
    await manager.dispose();
  });
});
