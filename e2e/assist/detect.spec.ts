import { expect, test, type APIRequestContext, type Request } from "@playwright/test";
import { PEOPLE } from "../fixtures/people";
import { apiSignIn } from "../fixtures/session";
import { subjectWithConsent } from "../fixtures/consent";
import { handJpegs } from "../fixtures/images";
import { clickImage, handPoint, openWorkspace, waitSaved, workspaceDoc } from "../fixtures/workspace";
import {
  detectAllPhotos,
  photoBuffer,
  pressDetect,
  report,
  sampleLabels,
  summarise,
  uploadPhotos,
  type TSampleLabel,
} from "./photos";

/**
 * Model-assisted labelling (issue 7): D runs MediaPipe Hands in the browser from the app's own
 * /mediapipe/ files. The synthetic demo drawings are not hands to MediaPipe, so detection is tried on
 * real photos from ../shared/hands-sample (skipped, saying why, where that folder is absent).
 */

/** A FreiHAND photo (a right hand holding a spoon): the model finds it, and its label gives the handedness. */
const PHOTO = "freihand_00000355.jpg";

async function newProject(manager: APIRequestContext, name: string) {
  const { project } = await (await manager.post("/api/projects", { data: { name, leaseMinutes: 60 } })).json();
  expect(
    (
      await manager.post(`/api/projects/${project.id}/members`, {
        data: { email: PEOPLE.annotator.email, roles: ["annotator"] },
      })
    ).ok(),
  ).toBe(true);
  const subject = await subjectWithConsent(manager, project.id);
  return { projectId: project.id as string, subjectId: subject.id };
}

test.describe("model-assisted labelling", () => {
  test("D detects the hand on a real photo: 21 keypoints, editable, submitted as model-assisted with the raw prediction", async ({
    page,
    playwright,
    baseURL,
  }) => {
    const sample = sampleLabels();
    test.skip("absent" in sample, "absent" in sample ? sample.absent : "");
    // D loads two models on first use (MediaPipe, then the landmark network that refines each hand).
    test.setTimeout(180_000);
    const label = (sample as { labels: TSampleLabel[] }).labels.find((l) => l.file === PHOTO)!;
    const manager = await playwright.request.newContext({ baseURL });
    await apiSignIn(manager, PEOPLE.manager);
    const { projectId, subjectId } = await newProject(manager, "Assist: detect");
    expect(
      (
        await manager.post(`/api/projects/${projectId}/images`, { multipart: { subjectId, file: photoBuffer(label) } })
      ).status(),
    ).toBe(201);
    await manager.dispose();

    // Every request the page makes stays on the app's origin.
    const origin = new URL(baseURL!).origin;
    const foreign: string[] = [];
    page.on("request", (request) => {
      if (/^https?:/.test(request.url()) && new URL(request.url()).origin !== origin) foreign.push(request.url());
    });
    const saves: Request[] = [];
    page.on("request", (request) => {
      if (request.method() === "PUT" && /\/api\/annotations\/[^/]+$/.test(request.url())) saves.push(request);
    });

    await apiSignIn(page.request, PEOPLE.annotator);
    const annotationId = await openWorkspace(page, projectId);
    await expect(page.getByTestId("button-detect")).toHaveText("Detect (D)");
    const outcome = await pressDetect(page, 90_000);
    if (!outcome.ok) throw new Error(`the model did not run: ${outcome.message}`);
    expect(outcome.hands.length).toBeGreaterThanOrEqual(1);
    for (const hand of outcome.hands) {
      expect(hand.keypoints).toHaveLength(21);
      expect(hand.keypoints.every((p) => p.state === "visible")).toBe(true);
      expect(hand.keypoints.every((p) => p.x >= 0 && p.x <= label.width && p.y >= 0 && p.y <= label.height)).toBe(true);
    }
    // The model's confidence is shown; its "Left" on this ordinary photo became the person's right hand.
    await expect(page.getByTestId("detect-result")).toContainText(/confidence 1: (right|left|unknown) \d+ %/);
    const doc = await workspaceDoc(page);
    expect(doc.hands[0].handedness).not.toBe("left");
    if (doc.hands[0].handedness === "unknown") await page.keyboard.press("r"); // a weak handedness score leaves it to the annotator
    expect((await workspaceDoc(page)).hands[0].handedness).toBe("right");

    // The annotator corrects a joint: select the index tip with Tab (which visits the joints region assist was
    // unsure of first, then the rest in order) and nudge it 10 px right.
    const selection = async () => JSON.parse((await page.getByTestId("workspace").getAttribute("data-selection"))!);
    for (let presses = 0; presses < 21 && (await selection()).joint !== 8; presses++) await page.keyboard.press("Tab");
    expect(await selection()).toEqual({ hand: 0, joint: 8 });
    const tipBefore = (await workspaceDoc(page)).hands[0].keypoints[8];
    await page.keyboard.press("Shift+ArrowRight");
    const tipAfter = (await workspaceDoc(page)).hands[0].keypoints[8];
    expect(tipAfter.x).toBeCloseTo(Math.min(label.width, tipBefore.x + 10), 5);
    expect(tipAfter.y).toBeCloseTo(tipBefore.y, 5);

    // Pressing D again adds no duplicate of a hand that is already labelled.
    const again = await pressDetect(page);
    expect(again.ok && again.hands.length).toBe(outcome.hands.length);
    await expect(page.getByTestId("detect-result")).toContainText("no hand that is not labelled already");

    await waitSaved(page);
    const body = saves.at(-1)!.postDataJSON();
    expect(body.source).toBe("model_assisted");
    expect(body.modelPrediction).toMatchObject({
      model: "@mediapipe/hands",
      image: { width: label.width, height: label.height },
    });
    expect(body.modelPrediction.hands[0].landmarks).toHaveLength(21);
    expect(["Left", "Right"]).toContain(body.modelPrediction.hands[0].label);

    await page.keyboard.press("Control+Enter");
    await expect(page).not.toHaveURL(new RegExp(`/annotate/${annotationId}$`));
    const mine = await (await page.request.get(`/api/projects/${projectId}/queue/mine`)).json();
    expect(mine.submitted.map((item: { annotationId: string }) => item.annotationId)).toContain(annotationId);
    expect(foreign).toEqual([]);
  });

  test("without the model files the workspace says so once, and manual labelling works unchanged", async ({
    page,
    playwright,
    baseURL,
  }) => {
    const manager = await playwright.request.newContext({ baseURL });
    await apiSignIn(manager, PEOPLE.manager);
    const { projectId, subjectId } = await newProject(manager, "Assist: no model");
    for (const file of await handJpegs(1, `assist-missing-${projectId}`)) {
      expect(
        (await manager.post(`/api/projects/${projectId}/images`, { multipart: { subjectId, file } })).status(),
      ).toBe(201);
    }
    await manager.dispose();

    await page.route("**/mediapipe/**", (route) => route.fulfill({ status: 404, body: "not found" }));
    await apiSignIn(page.request, PEOPLE.annotator);
    const annotationId = await openWorkspace(page, projectId);
    const outcome = await pressDetect(page, 30_000);
    expect(outcome.ok).toBe(false);
    const message = page.getByTestId("detect-unavailable");
    await expect(message).toHaveCount(1);
    await expect(message).toContainText("could not load");
    await expect(page.getByTestId("button-detect")).toBeDisabled();
    // Said once: pressing D again adds nothing.
    await page.keyboard.press("d");
    await expect(message).toHaveCount(1);
    await expect(page.getByText("The hand model could not")).toHaveCount(1);
    expect((await workspaceDoc(page)).hands).toHaveLength(0);

    // Manual labelling, unchanged: N then 21 clicks, handedness, submit.
    await page.keyboard.press("n");
    for (let joint = 0; joint < 21; joint++) await clickImage(page, handPoint(joint).x, handPoint(joint).y);
    await page.keyboard.press("r");
    const doc = await workspaceDoc(page);
    expect(doc.hands).toHaveLength(1);
    expect(doc.hands[0].keypoints.every((p) => p.state === "visible")).toBe(true);
    await waitSaved(page);
    await page.keyboard.press("Control+Enter");
    await expect(page).not.toHaveURL(new RegExp(`/annotate/${annotationId}$`));
    const mine = await (await page.request.get(`/api/projects/${projectId}/queue/mine`)).json();
    expect(mine.submitted.map((item: { annotationId: string }) => item.annotationId)).toContain(annotationId);
  });

  test("PCK@0.2 of the detections on the real photos of ../shared/hands-sample", async ({
    page,
    playwright,
    baseURL,
  }) => {
    const sample = sampleLabels();
    test.skip("absent" in sample, "absent" in sample ? sample.absent : "");
    test.setTimeout(240_000);
    const { labels } = sample as { labels: TSampleLabel[] };
    const manager = await playwright.request.newContext({ baseURL });
    await apiSignIn(manager, PEOPLE.manager);
    const { projectId, subjectId } = await newProject(manager, "Assist: PCK");
    const byImage = await uploadPhotos(manager, projectId, subjectId, labels);
    await manager.dispose();

    await apiSignIn(page.request, PEOPLE.annotator);
    const rows = await detectAllPhotos(page, page.request, projectId, byImage);
    const lines = report(rows);
    console.log(lines.join("\n"));
    const summary = summarise(rows);
    test.info().annotations.push({
      type: "PCK@0.2",
      description: `${(100 * summary.meanPck).toFixed(1)} % mean over ${summary.scored} labelled hands (${summary.detected} detected)`,
    });
    expect(rows).toHaveLength(labels.length);
    expect(rows.every((r) => r.outcome.ok)).toBe(true);
    // A floor well under what the model reaches here, so the test catches a broken conversion
    // (wrong scale, swapped axes, a wrong joint order) rather than the model's own misses.
    expect(summary.detected).toBeGreaterThanOrEqual(labels.length / 2);
    expect(summary.meanPckDetected).toBeGreaterThan(0.6);
  });
});
