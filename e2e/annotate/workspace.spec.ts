import { expect, test } from "@playwright/test";
import { PEOPLE } from "../fixtures/people";
import { apiSignIn } from "../fixtures/session";
import { subjectWithConsent } from "../fixtures/consent";
import { handJpegs } from "../fixtures/images";
import { clickImage, handPoint, openWorkspace, screenPoint, waitSaved, workspaceDoc } from "../fixtures/workspace";

/** Clicks land on whole screen pixels: at the fitted zoom that is within about a pixel of the image point. */
const expectNear = (actual: number, expected: number) => expect(Math.abs(actual - expected)).toBeLessThan(1.6);

test.describe("annotation workspace", () => {
  test.beforeAll(async ({ playwright, baseURL }) => {
    // A dedicated project, so the queue holds exactly the images these tests label.
    const manager = await playwright.request.newContext({ baseURL });
    await apiSignIn(manager, PEOPLE.manager);
    const { project } = await (
      await manager.post("/api/projects", { data: { name: "Workspace tests", leaseMinutes: 60 } })
    ).json();
    await manager.post(`/api/projects/${project.id}/members`, {
      data: { email: PEOPLE.annotator.email, roles: ["annotator"] },
    });
    const subject = await subjectWithConsent(manager, project.id);
    for (const file of await handJpegs(8, `workspace-${project.id}`)) {
      expect(
        (
          await manager.post(`/api/projects/${project.id}/images`, { multipart: { subjectId: subject.id, file } })
        ).status(),
      ).toBe(201);
    }
    process.env.WORKSPACE_PROJECT = project.id;
    await manager.dispose();
  });
  const projectId = () => process.env.WORKSPACE_PROJECT!;

  test("a full hand costs N plus 21 clicks; metadata by keyboard; submit takes the next image", async ({ page }) => {
    await apiSignIn(page.request, PEOPLE.annotator);
    const first = await openWorkspace(page, projectId());
    await page.keyboard.press("n");
    for (let joint = 0; joint < 21; joint++) {
      const { x, y } = handPoint(joint);
      await clickImage(page, x, y);
    }
    let doc = await workspaceDoc(page);
    expect(doc.hands).toHaveLength(1);
    expect(doc.hands[0].keypoints.every((p) => p.state === "visible")).toBe(true);
    expectNear(doc.hands[0].keypoints[8].x, handPoint(8).x);
    expect(await page.getByTestId("workspace").getAttribute("data-placement")).toBe("null");

    await page.keyboard.press("r");
    await page.getByTestId("meta-gesture").selectOption("palm");
    await page.getByTestId("meta-view-palm").check();
    await page.keyboard.press("Escape"); // leave the form field for the canvas
    doc = await workspaceDoc(page);
    expect(doc.hands[0]).toMatchObject({ handedness: "right", gesture: "palm", view: "palm" });

    await page.keyboard.press("Control+Enter");
    await expect(page).not.toHaveURL(new RegExp(`/annotate/${first}$`));
    const mine = await (await page.request.get(`/api/projects/${projectId()}/queue/mine`)).json();
    expect(mine.submitted.map((item: { annotationId: string }) => item.annotationId)).toContain(first);
  });

  test("nothing is lost on reload; undo and redo; a dragged joint moves and is saved", async ({ page }) => {
    await apiSignIn(page.request, PEOPLE.annotator);
    await openWorkspace(page, projectId());
    await page.keyboard.press("n");
    for (let joint = 0; joint < 10; joint++) await clickImage(page, handPoint(joint).x, handPoint(joint).y);
    await waitSaved(page);
    await page.reload();
    await expect(page.getByTestId("annotate-canvas")).toBeVisible();
    let doc = await workspaceDoc(page);
    expect(doc.hands[0].keypoints.filter((p) => p.state !== "absent")).toHaveLength(10);

    await page.keyboard.press("Control+z"); // history starts afresh after a reload: nothing to undo
    expect((await workspaceDoc(page)).hands[0].keypoints.filter((p) => p.state !== "absent")).toHaveLength(10);

    // Drag joint 4 by 30 px right, then undo and redo the drag.
    const from = await screenPoint(page, handPoint(4).x, handPoint(4).y);
    await page.mouse.move(from.x, from.y);
    await page.mouse.down();
    await page.mouse.move(from.x + 15, from.y, { steps: 5 });
    const camera = JSON.parse((await page.getByTestId("annotate-canvas").getAttribute("data-camera"))!);
    await page.mouse.move(from.x + 30 * camera.scale, from.y, { steps: 5 });
    await page.mouse.up();
    doc = await workspaceDoc(page);
    expectNear(doc.hands[0].keypoints[4].x, handPoint(4).x + 30);
    await page.keyboard.press("Control+z");
    expectNear((await workspaceDoc(page)).hands[0].keypoints[4].x, handPoint(4).x);
    await page.keyboard.press("Control+Shift+z");
    expectNear((await workspaceDoc(page)).hands[0].keypoints[4].x, handPoint(4).x + 30);
    await waitSaved(page);
    await page.reload();
    await expect(page.getByTestId("annotate-canvas")).toBeVisible();
    expectNear((await workspaceDoc(page)).hands[0].keypoints[4].x, handPoint(4).x + 30);
  });

  test("keyboard and canvas clicks only: occluded, absent, template, handedness, nudge", async ({ page }) => {
    await apiSignIn(page.request, PEOPLE.annotator);
    await openWorkspace(page, projectId());
    await page.keyboard.press("?");
    await expect(page.getByTestId("help-dialog")).toBeVisible();
    expect(await page.getByTestId("help-row").count()).toBeGreaterThan(20);
    await page.keyboard.press("Escape");
    await page.keyboard.press("n");
    await clickImage(page, 320, 420); // wrist
    await page.keyboard.press("o");
    await clickImage(page, handPoint(1).x, handPoint(1).y); // thumb_cmc, occluded
    await page.keyboard.press("x"); // thumb_mcp absent
    await page.keyboard.press("l");
    await page.keyboard.press("t"); // template: next click is the middle MCP
    await clickImage(page, 320, 300);
    // The queue may resume an earlier draft of this annotator: the new hand is the last one.
    const doc = await workspaceDoc(page);
    const hand = doc.hands.at(-1)!;
    const states = hand.keypoints.map((p) => p.state);
    expect(states[1]).toBe("occluded");
    expect(states[2]).toBe("absent");
    expect(states.filter((s) => s === "visible")).toHaveLength(19);
    expect(hand.handedness).toBe("left");
    await page.keyboard.press("b"); // blur preview, as an export would show the image
    await expect(page.getByTestId("annotate-canvas")).toHaveAttribute("data-image-source", "blur-preview");
    await page.keyboard.press("b");
    await expect(page.getByTestId("annotate-canvas")).toHaveAttribute("data-image-source", "display");
    await page.keyboard.press("Tab"); // select joint 0
    await page.keyboard.press("Shift+ArrowRight");
    await page.keyboard.press("ArrowRight");
    expectNear((await workspaceDoc(page)).hands.at(-1)!.keypoints[0].x, 331);
  });

  test("a failed save shows 'unsaved', retries, and succeeds once the server answers again", async ({ page }) => {
    await apiSignIn(page.request, PEOPLE.annotator);
    await openWorkspace(page, projectId());
    let failing = true;
    await page.route("**/api/annotations/*", (route) =>
      failing && route.request().method() === "PUT" ? route.fulfill({ status: 503, body: "{}" }) : route.fallback(),
    );
    await page.keyboard.press("n");
    await clickImage(page, 200, 200);
    await expect(page.getByTestId("save-status")).toHaveText("Unsaved — retrying", { timeout: 10_000 });
    await expect(page.getByTestId("workspace-alert")).toContainText("503");
    failing = false;
    await waitSaved(page);
    await page.reload();
    await expect(page.getByTestId("annotate-canvas")).toBeVisible();
    const hand = (await workspaceDoc(page)).hands.at(-1)!;
    expectNear(hand.keypoints[0].x, 200);
  });

  test("two tabs edit one annotation: the second save gets a conflict and nothing is lost", async ({ browser }) => {
    const first = await browser.newContext();
    const second = await browser.newContext();
    const pageA = await first.newPage();
    const pageB = await second.newPage();
    await apiSignIn(pageA.request, PEOPLE.annotator);
    await apiSignIn(pageB.request, PEOPLE.annotator);
    const id = await openWorkspace(pageA, projectId());
    await pageB.goto(`/annotate/${id}`);
    await expect(pageB.getByTestId("annotate-canvas")).toBeVisible();

    await pageA.keyboard.press("n");
    await clickImage(pageA, 100, 100);
    await waitSaved(pageA);
    const saved = await workspaceDoc(pageA);

    await pageB.keyboard.press("n");
    await clickImage(pageB, 500, 200);
    await expect(pageB.getByTestId("conflict-dialog")).toBeVisible({ timeout: 10_000 });
    await expect(pageB.getByTestId("save-status")).toHaveText("Conflict: not saved");
    await pageB.getByTestId("conflict-take-theirs").click();
    expect(await workspaceDoc(pageB)).toEqual(saved);

    // The first tab's work is intact on the server.
    await pageA.reload();
    await expect(pageA.getByTestId("annotate-canvas")).toBeVisible();
    expect(await workspaceDoc(pageA)).toEqual(saved);
    await first.close();
    await second.close();
  });
});
