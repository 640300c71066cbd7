import { expect, test, type Page } from "@playwright/test";
import { PEOPLE } from "../fixtures/people";
import { apiSignIn } from "../fixtures/session";
import { subjectWithConsent } from "../fixtures/consent";
import { handJpegs } from "../fixtures/images";
import { clickImage, handPoint, openWorkspace, screenPoint, workspaceDoc } from "../fixtures/workspace";

/** Specs of the workspace's correctness and keyboard access (issue 14, "wrong today"). Each test takes its own image. */
test.describe("workspace: keyboard, notices, overlaps, refused submissions", () => {
  test.beforeAll(async ({ playwright, baseURL }) => {
    const manager = await playwright.request.newContext({ baseURL });
    await apiSignIn(manager, PEOPLE.manager);
    const { project } = await (
      await manager.post("/api/projects", { data: { name: "Workspace keyboard tests", leaseMinutes: 60 } })
    ).json();
    await manager.post(`/api/projects/${project.id}/members`, {
      data: { email: PEOPLE.annotator.email, roles: ["annotator"] },
    });
    const subject = await subjectWithConsent(manager, project.id);
    for (const file of await handJpegs(8, `keyboard-${project.id}`)) {
      expect(
        (
          await manager.post(`/api/projects/${project.id}/images`, { multipart: { subjectId: subject.id, file } })
        ).status(),
      ).toBe(201);
    }
    process.env.KEYBOARD_PROJECT = project.id;
    await manager.dispose();
  });
  const projectId = () => process.env.KEYBOARD_PROJECT!;
  const focusedTestId = (page: Page) =>
    page.evaluate(() => document.activeElement?.getAttribute("data-testid") ?? document.activeElement?.tagName ?? null);

  /** Skips the draft a previous test left behind, so each test starts on an image without hands. */
  async function freshImage(page: Page) {
    await openWorkspace(page, projectId());
    if ((await workspaceDoc(page)).hands.length === 0) return;
    await page.getByTestId("button-skip").click();
    await page.getByTestId("skip-confirm").click();
    await expect(page.getByTestId("skip-dialog")).toBeHidden();
    await expect.poll(async () => (await workspaceDoc(page)).hands.length).toBe(0);
  }

  test("Tab switches joints only on the canvas; toolbar, Skip, metadata panel are reached by Tab; no trap", async ({
    page,
  }) => {
    await apiSignIn(page.request, PEOPLE.annotator);
    await openWorkspace(page, projectId());
    await page.keyboard.press("n");
    await page.keyboard.press("Escape");
    const selection = () => page.getByTestId("workspace").getAttribute("data-selection");

    // A focused toolbar button keeps Tab for moving focus.
    await page.getByTestId("button-template").focus();
    const before = await selection();
    await page.keyboard.press("Tab");
    expect(await selection()).toBe(before);
    expect(await focusedTestId(page)).not.toBe("button-template");

    // Walk the whole page by Tab: every control is reached and focus never sticks.
    const reached = new Set<string>();
    await page.getByTestId("annotate-canvas").focus();
    for (let i = 0; i < 160; i++) {
      await page.keyboard.press("Tab");
      reached.add(String(await focusedTestId(page)));
    }
    for (const id of [
      "button-undo",
      "button-template",
      "button-help",
      "button-skip",
      "button-submit",
      "hand-new",
      "joint-item-20",
      "annotate-canvas",
      "meta-gesture",
      "meta-interaction",
    ]) {
      expect(reached, id).toContain(id);
    }
    // On the canvas Tab steps through the joints, then leaves.
    await page.getByTestId("annotate-canvas").focus();
    await page.keyboard.press("Escape");
    await page.keyboard.press("Tab");
    expect(JSON.parse((await selection())!).joint).toBe(0);
    await page.keyboard.press("Tab");
    expect(JSON.parse((await selection())!).joint).toBe(1);
    await expect(page.getByTestId("annotate-canvas")).toBeFocused();
  });

  test("a notice appears over the canvas without moving the image under the pointer", async ({ page }) => {
    await apiSignIn(page.request, PEOPLE.annotator);
    await openWorkspace(page, projectId());
    const canvas = page.getByTestId("annotate-canvas");
    const box = await canvas.boundingBox();
    const point = await screenPoint(page, 300, 200);
    await page.route("**/api/annotations/*", (route) =>
      route.request().method() === "PUT" ? route.fulfill({ status: 503, body: "{}" }) : route.fallback(),
    );
    await page.keyboard.press("n");
    await clickImage(page, 300, 200);
    await expect(page.getByTestId("workspace-alert")).toBeVisible({ timeout: 10_000 });
    expect(await canvas.boundingBox()).toEqual(box);
    expect(await screenPoint(page, 300, 200)).toEqual(point);
  });

  test("of two overlapping joints, the selected one is dragged", async ({ page }) => {
    await apiSignIn(page.request, PEOPLE.annotator);
    await freshImage(page);
    await page.keyboard.press("n");
    // Joint 8 (index tip) is placed right on top of joint 4 (thumb tip).
    for (let joint = 0; joint < 21; joint++) {
      const { x, y } = joint === 8 ? handPoint(4) : handPoint(joint);
      await clickImage(page, x, y);
    }
    await page.getByTestId("joint-item-4").click();
    const from = await screenPoint(page, handPoint(4).x, handPoint(4).y);
    const camera = JSON.parse((await page.getByTestId("annotate-canvas").getAttribute("data-camera"))!);
    await page.mouse.move(from.x, from.y);
    await page.mouse.down();
    await page.mouse.move(from.x + 20 * camera.scale, from.y, { steps: 4 });
    await page.mouse.move(from.x + 40 * camera.scale, from.y, { steps: 4 });
    await page.mouse.up();
    const hand = (await workspaceDoc(page)).hands[0]!;
    expect(Math.abs(hand.keypoints[4]!.x - (handPoint(4).x + 40))).toBeLessThan(1.6);
    expect(Math.abs(hand.keypoints[8]!.x - handPoint(4).x)).toBeLessThan(1.6);
  });

  test("submitting while saves fail says the submission was refused and why", async ({ page }) => {
    await apiSignIn(page.request, PEOPLE.annotator);
    const id = await openWorkspace(page, projectId());
    await page.route("**/api/annotations/*", (route) =>
      route.request().method() === "PUT" ? route.fulfill({ status: 503, body: "{}" }) : route.fallback(),
    );
    await page.keyboard.press("n");
    await clickImage(page, 250, 250);
    await expect(page.getByTestId("save-status")).toHaveText("Unsaved — retrying", { timeout: 10_000 });
    await page.keyboard.press("Control+Enter");
    await expect(page.getByTestId("workspace-notice")).toContainText("Submission refused");
    await expect(page.getByTestId("workspace-notice")).toContainText("could not be saved");
    await expect(page).toHaveURL(new RegExp(`/annotate/${id}$`));
    const mine = await (await page.request.get(`/api/projects/${projectId()}/queue/mine`)).json();
    expect(mine.submitted.map((item: { annotationId: string }) => item.annotationId)).not.toContain(id);
  });

  test("Backspace on a hand with joints asks first; the page has a favicon", async ({ page }) => {
    await apiSignIn(page.request, PEOPLE.annotator);
    await freshImage(page);
    await page.keyboard.press("n");
    await clickImage(page, handPoint(0).x, handPoint(0).y);
    await clickImage(page, handPoint(1).x, handPoint(1).y);
    await page.keyboard.press("Escape");
    await page.keyboard.press("Backspace");
    await expect(page.getByTestId("delete-hand-dialog")).toContainText("2 placed joints");
    await page.keyboard.press("Escape");
    await expect(page.getByTestId("delete-hand-dialog")).toBeHidden();
    expect((await workspaceDoc(page)).hands).toHaveLength(1);
    await page.keyboard.press("Backspace");
    await page.getByTestId("delete-hand-confirm").click();
    expect((await workspaceDoc(page)).hands).toHaveLength(0);
    await page.keyboard.press("Control+z");
    expect((await workspaceDoc(page)).hands).toHaveLength(1);

    const icon = await page.locator('link[rel="icon"]').first().getAttribute("href");
    expect(icon).toContain("icon");
    const response = await page.request.get(icon!);
    expect(response.status()).toBe(200);
    expect(response.headers()["content-type"]).toContain("image/svg+xml");
  });

  test("brightness, contrast and gamma change how the photo is shown, not the joint colours", async ({ page }) => {
    await apiSignIn(page.request, PEOPLE.annotator);
    await openWorkspace(page, projectId());
    await page.getByTestId("display-contrast").focus();
    for (let i = 0; i < 5; i++) await page.keyboard.press("ArrowRight");
    await page.getByTestId("display-gamma").focus();
    await page.keyboard.press("ArrowLeft");
    await expect(page.getByTestId("annotate-canvas")).toHaveAttribute(
      "data-image-filter",
      "contrast(1.5) url(#phalanx-display-gamma)",
    );
    // Only the photo's layer (the first canvas) is filtered; the labels' layer is drawn as is.
    const filters = await page
      .locator("#annotation-stage canvas, [data-testid=annotate-canvas] canvas")
      .evaluateAll((canvases) => canvases.map((c) => (c as HTMLCanvasElement).style.filter));
    expect(filters[0]).toContain("contrast(1.5)");
    expect(filters.slice(1).every((f) => f === "")).toBe(true);
    await page.getByTestId("display-reset").click();
    await expect(page.getByTestId("annotate-canvas")).toHaveAttribute("data-image-filter", "");
  });

  test("H locks, then hides, the hands other than the one being labelled", async ({ page }) => {
    await apiSignIn(page.request, PEOPLE.annotator);
    await freshImage(page);
    await page.keyboard.press("n");
    for (let joint = 0; joint < 6; joint++) await clickImage(page, handPoint(joint).x, handPoint(joint).y);
    await page.keyboard.press("Escape");
    await page.keyboard.press("n");
    for (let joint = 0; joint < 3; joint++) await clickImage(page, handPoint(joint).x + 150, handPoint(joint).y - 150);
    await page.keyboard.press("Escape"); // hand 2 stays the active one
    const drawn = (selector: string) =>
      page.evaluate(
        (s) =>
          (window as unknown as { Konva: { stages: { find: (s: string) => unknown[] }[] } }).Konva.stages[0]!.find(s)
            .length,
        selector,
      );
    expect(await drawn(".hand-0")).toBe(1);

    await page.keyboard.press("h");
    await expect(page.getByTestId("button-other-hands")).toHaveText("Other hands: locked");
    // A locked hand cannot be dragged: its wrist stays put.
    const wrist = await screenPoint(page, handPoint(0).x, handPoint(0).y);
    await page.mouse.move(wrist.x, wrist.y);
    await page.mouse.down();
    await page.mouse.move(wrist.x + 30, wrist.y, { steps: 5 });
    await page.mouse.up();
    expect((await workspaceDoc(page)).hands[0]!.keypoints[0]!.x).toBe(handPoint(0).x);

    await page.keyboard.press("h");
    await expect(page.getByTestId("button-other-hands")).toHaveText("Other hands: hidden");
    expect(await drawn(".hand-0")).toBe(0);
    expect(await drawn(".hand-1")).toBe(1);
    await page.keyboard.press("h");
    expect(await drawn(".hand-0")).toBe(1);
  });
});
