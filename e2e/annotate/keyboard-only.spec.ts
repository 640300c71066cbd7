import { expect, test } from "@playwright/test";
import { PEOPLE } from "../fixtures/people";
import { apiSignIn } from "../fixtures/session";
import { subjectWithConsent } from "../fixtures/consent";
import { handJpegs } from "../fixtures/images";
import { workspaceDoc } from "../fixtures/workspace";

test("keyboard only: open the queue, label a hand, describe it and submit it — no mouse", async ({
  page,
  playwright,
  baseURL,
}) => {
  const manager = await playwright.request.newContext({ baseURL });
  await apiSignIn(manager, PEOPLE.manager);
  const { project } = await (await manager.post("/api/projects", { data: { name: "Keyboard only" } })).json();
  await manager.post(`/api/projects/${project.id}/members`, {
    data: { email: PEOPLE.annotator.email, roles: ["annotator"] },
  });
  const subject = await subjectWithConsent(manager, project.id);
  for (const file of await handJpegs(2, `keyboard-only-${project.id}`))
    await manager.post(`/api/projects/${project.id}/images`, { multipart: { subjectId: subject.id, file } });
  await manager.dispose();

  await apiSignIn(page.request, PEOPLE.annotator);
  await page.goto(`/projects/${project.id}/annotate`);
  // Tab to "Start annotating" and press Enter.
  for (
    let i = 0;
    i < 40 && !(await page.getByTestId("start-annotating").evaluate((el) => el === document.activeElement));
    i++
  )
    await page.keyboard.press("Tab");
  await expect(page.getByTestId("start-annotating")).toBeFocused();
  await page.keyboard.press("Enter");
  await expect(page).toHaveURL(/\/annotate\/[^/]+$/);
  const annotationId = page.url().split("/").pop()!;
  await expect(page.getByTestId("annotate-canvas")).toBeVisible();
  await expect(page.getByTestId("workspace-progress")).toHaveText("0 today · 1 left in queue");

  await page.keyboard.press("n"); // a new hand; the + sits in the image's centre
  await page.keyboard.press("Enter"); // wrist at the +
  await page.keyboard.press("t"); // template: the next joint placed is the middle knuckle
  for (let i = 0; i < 10; i++) await page.keyboard.press("Shift+ArrowUp");
  await page.keyboard.press("Enter"); // middle knuckle 100 px above the wrist; the template fills the rest
  await page.keyboard.press("l");
  let hand = (await workspaceDoc(page)).hands[0]!;
  expect(hand.keypoints.filter((p) => p.state === "visible")).toHaveLength(21);
  expect(hand.keypoints[0]).toEqual({ x: 320, y: 240, state: "visible" });
  expect(hand.keypoints[9]).toEqual({ x: 320, y: 140, state: "visible" });
  expect(hand.handedness).toBe("left");

  // Tab to the gesture list and choose one with the arrow keys.
  await page.getByTestId("annotate-canvas").focus();
  for (
    let i = 0;
    i < 80 && !(await page.getByTestId("meta-gesture").evaluate((el) => el === document.activeElement));
    i++
  )
    await page.keyboard.press("Tab");
  await expect(page.getByTestId("meta-gesture")).toBeFocused();
  await page.keyboard.press("ArrowDown");
  await page.keyboard.press("Escape");
  hand = (await workspaceDoc(page)).hands[0]!;
  expect(hand.gesture).not.toBeNull();

  await page.keyboard.press("Control+Enter");
  await expect(page).not.toHaveURL(new RegExp(`/annotate/${annotationId}$`));
  // The next image opens with a confirmation and the progress line counts the submission.
  await expect(page.getByTestId("submitted-toast")).toContainText("Submitted. 1 today · 0 left in queue.");
  await expect(page.getByTestId("workspace-progress")).toHaveText("1 today · 0 left in queue");
  const mine = await (await page.request.get(`/api/projects/${project.id}/queue/mine`)).json();
  expect(mine.submitted.map((item: { annotationId: string }) => item.annotationId)).toContain(annotationId);
});
