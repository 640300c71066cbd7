/**
 * Real hand photos for model-assisted labelling (e2e/assist and bench/assist.ts): the 12 photos of
 * ../shared/hands-sample with their labels. They must not be copied into the repository (their terms
 * forbid it), so they are read from there, and whoever uses them skips, saying why, when they are absent.
 */
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import type { APIRequestContext, Page } from "@playwright/test";
import { imagePck, mean, type THandPck, type TLabelledHand, type TPredictedHand } from "../../lib/assist/pck";
import { assistedActions, type THandActions } from "../../lib/assist/actions";

/** Relative to the repository root (where tests and benches run), as the sample's README says. */
export const HANDS_SAMPLE = path.resolve(process.env.HANDS_SAMPLE ?? "../shared/hands-sample");
export const PCK_ALPHA = 0.2;

export type TSampleLabel = {
  file: string;
  width: number;
  height: number;
  pose: string;
  hands: { handedness: "left" | "right" | null; keypoints: [number, number, number][] }[];
};
export type TDocHand = { handedness: string; keypoints: { x: number; y: number; state: string }[] };
export type TDetectOutcome =
  | { ok: true; hands: TDocHand[]; wallMs: number; hookMs: number; loaded: boolean }
  | { ok: false; message: string; wallMs: number };

/** The labels, or why the sample cannot be used (for test.skip / the bench's message). */
export function sampleLabels(): { labels: TSampleLabel[] } | { absent: string } {
  const file = path.join(HANDS_SAMPLE, "labels.json");
  if (!existsSync(file))
    return {
      absent: `${HANDS_SAMPLE} is absent: the real hand photos are not part of the repository (their terms forbid bundling them)`,
    };
  const labels: TSampleLabel[] = JSON.parse(readFileSync(file, "utf8"));
  const missing = labels.filter((label) => !existsSync(path.join(HANDS_SAMPLE, label.file)));
  if (missing.length) return { absent: `${HANDS_SAMPLE} lacks ${missing.map((m) => m.file).join(", ")}` };
  return { labels };
}

export function photoBuffer(label: TSampleLabel) {
  return { name: label.file, mimeType: "image/jpeg", buffer: readFileSync(path.join(HANDS_SAMPLE, label.file)) };
}

/** Uploads the photos in order (the queue hands them out in that order); image id → label. */
export async function uploadPhotos(
  api: APIRequestContext,
  projectId: string,
  subjectId: string,
  labels: TSampleLabel[],
): Promise<Map<string, TSampleLabel>> {
  const byImage = new Map<string, TSampleLabel>();
  for (const label of labels) {
    const response = await api.post(`/api/projects/${projectId}/images`, {
      multipart: { subjectId, file: photoBuffer(label) },
    });
    if (response.status() !== 201)
      throw new Error(`upload of ${label.file} answered ${response.status()}: ${await response.text()}`);
    const { image } = await response.json();
    if (image.width !== label.width || image.height !== label.height)
      throw new Error(
        `${label.file}: stored as ${image.width}×${image.height}, labelled at ${label.width}×${label.height}`,
      );
    byImage.set(image.id, label);
  }
  return byImage;
}

export async function docHands(page: Page): Promise<TDocHand[]> {
  return JSON.parse((await page.getByTestId("workspace").getAttribute("data-doc"))!).hands;
}

/** Presses D in the open workspace and waits for the outcome: the hands in the document after it, or the "unavailable" message. */
export async function pressDetect(page: Page, timeout = 120_000): Promise<TDetectOutcome> {
  const before = await page
    .getByTestId("detect-result")
    .getAttribute("data-ms", { timeout: 1 })
    .catch(() => null);
  const started = performance.now();
  await page.keyboard.press("d");
  const result = page.getByTestId("detect-result");
  const unavailable = page.getByTestId("detect-unavailable");
  // A new result (its data-ms differs from the one shown before, if any), or the failure.
  await page.waitForFunction(
    (previous) => {
      const shown = document.querySelector("[data-testid=detect-result]");
      return (
        !!document.querySelector("[data-testid=detect-unavailable]") ||
        (!!shown && (previous === null || shown.getAttribute("data-ms") !== previous))
      );
    },
    before,
    { timeout, polling: 20 },
  );
  const wallMs = performance.now() - started;
  if (await unavailable.isVisible()) return { ok: false, message: await unavailable.innerText(), wallMs };
  return {
    ok: true,
    hands: await docHands(page),
    wallMs,
    hookMs: Number(await result.getAttribute("data-ms")),
    loaded: (await result.getAttribute("data-loaded")) === "true",
  };
}

export type TPhotoScore = {
  pck: number;
  correct: number;
  labelled: number;
  perHand: THandPck[];
  handedness: { expected: string | null; got: string | null }[];
  actions: THandActions[];
};

/** PCK@alpha of the detected hands against the photo's labels (lib/assist/pck.ts: a missed hand scores 0). */
export function scorePhoto(label: TSampleLabel, hands: TDocHand[], alpha = PCK_ALPHA): TPhotoScore {
  const truth: TLabelledHand[] = label.hands.map((h) => h.keypoints.map(([x, y, v]) => (v > 0 ? { x, y } : null)));
  const predicted: TPredictedHand[] = hands.map((h) =>
    h.keypoints.map((p) => (p.state === "absent" ? null : { x: p.x, y: p.y })),
  );
  const perHand = imagePck(truth, predicted, alpha);
  return {
    pck: mean(perHand.map((r) => r.pck)),
    correct: perHand.reduce((a, r) => a + r.correct, 0),
    labelled: perHand.reduce((a, r) => a + r.labelled, 0),
    perHand,
    handedness: label.hands.map((h, i) => ({
      expected: h.handedness,
      got: perHand[i].matched === null ? null : hands[perHand[i].matched!].handedness,
    })),
    // Actions to bring each hand within 3 px of its labels, with the proposal and without (lib/assist/actions.ts).
    actions: label.hands.map((h, i) => {
      const matched = perHand[i].matched;
      const got = matched === null ? null : hands[matched].handedness;
      return assistedActions(truth[i], matched === null ? null : predicted[matched], {
        tolerancePx: 3,
        knownHandedness: h.handedness !== null,
        handednessWrong: h.handedness !== null && got !== h.handedness,
        detectShare: 1 / label.hands.length,
      });
    }),
  };
}

export type TPhotoRow = { file: string; outcome: TDetectOutcome; score: TPhotoScore | null };

/**
 * Detects on every queued photo of a project in one page, as an annotator would: open the workspace, D,
 * score, then undo, mark "no hands" and submit, which takes the next image without reloading the page
 * (the model stays loaded). Stops at the first "model unavailable".
 */
export async function detectAllPhotos(
  page: Page,
  api: APIRequestContext,
  projectId: string,
  byImage: Map<string, TSampleLabel>,
): Promise<TPhotoRow[]> {
  await page.goto(`/projects/${projectId}/annotate`);
  await page.getByTestId("start-annotating").click();
  const rows: TPhotoRow[] = [];
  for (let n = 0; n < byImage.size; n++) {
    await page.waitForURL(/\/annotate\/[^/]+$/);
    await page.getByTestId("annotate-canvas").waitFor({ state: "visible" });
    await page.waitForFunction(
      () =>
        JSON.parse(document.querySelector("[data-testid=annotate-canvas]")?.getAttribute("data-camera") ?? "{}")
          .scale !== 1,
      undefined,
      { timeout: 60_000 },
    );
    const annotationId = page.url().split("/").pop()!;
    const mine = await (await api.get(`/api/projects/${projectId}/queue/mine`)).json();
    const item = [...(mine.drafts ?? []), ...(mine.returned ?? [])].find(
      (w: { annotationId: string }) => w.annotationId === annotationId,
    );
    const label = item ? byImage.get(item.imageId) : undefined;
    if (!label) throw new Error(`annotation ${annotationId} is not one of the uploaded photos`);
    const outcome = await pressDetect(page);
    rows.push({ file: label.file, outcome, score: outcome.ok ? scorePhoto(label, outcome.hands) : null });
    if (!outcome.ok || n === byImage.size - 1) break;
    if (outcome.hands.length) await page.keyboard.press("Control+z");
    await page.keyboard.press("Shift+N");
    await page.waitForFunction(
      () => JSON.parse(document.querySelector("[data-testid=workspace]")!.getAttribute("data-doc")!).noHands === true,
    );
    await page.keyboard.press("Control+Enter");
    await page.waitForURL((url) => !url.pathname.endsWith(annotationId), { timeout: 30_000 });
  }
  return rows;
}

const pct = (value: number) => (Number.isFinite(value) ? `${(100 * value).toFixed(1)} %` : "–");
const sec = (ms: number) => (Number.isFinite(ms) ? `${(ms / 1000).toFixed(2)} s` : "–");
const median = (values: number[]) => {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};

export type TPhotoSummary = {
  meanPck: number;
  meanPckDetected: number;
  pooledPck: number;
  detected: number;
  scored: number;
  handednessRight: number;
  handednessLabelled: number;
  firstMs: number;
  laterMedianMs: number;
  laterMaxMs: number;
};

export function summarise(rows: TPhotoRow[]): TPhotoSummary {
  const scored = rows.filter((r) => r.score);
  const detected = scored.filter((r) => r.outcome.ok && r.outcome.hands.length > 0);
  const handedness = scored.flatMap((r) => r.score!.handedness).filter((h) => h.expected);
  const hook = rows.map((r) => (r.outcome.ok ? r.outcome.hookMs : NaN));
  const later = hook.slice(1).filter(Number.isFinite);
  return {
    meanPck: mean(scored.map((r) => r.score!.pck)),
    meanPckDetected: mean(detected.map((r) => r.score!.pck)),
    pooledPck:
      scored.reduce((a, r) => a + r.score!.correct, 0) /
      Math.max(
        1,
        scored.reduce((a, r) => a + r.score!.labelled, 0),
      ),
    detected: detected.length,
    scored: scored.length,
    handednessRight: handedness.filter((h) => h.got === h.expected).length,
    handednessLabelled: handedness.length,
    firstMs: hook[0] ?? NaN,
    laterMedianMs: median(later),
    laterMaxMs: later.length ? Math.max(...later) : NaN,
  };
}

/** A printable table and summary of the rows. */
export function report(rows: TPhotoRow[], alpha = PCK_ALPHA): string[] {
  const lines = [
    `${"photo".padEnd(22)} ${"hands".padStart(5)} ${`PCK@${alpha}`.padStart(8)} ${"joints".padStart(7)} ${"D→hands".padStart(8)} ${"model".padStart(7)}  handedness (anatomical; label)`,
  ];
  for (const { file, outcome, score } of rows) {
    if (!outcome.ok) {
      lines.push(`${file.padEnd(22)} unavailable: ${outcome.message}`);
      continue;
    }
    const handedness = score!.handedness
      .map((h) => `${h.got ?? "missed"}${h.expected ? (h.got === h.expected ? " ✓" : ` ✗ (${h.expected})`) : " (–)"}`)
      .join(", ");
    lines.push(
      `${file.padEnd(22)} ${String(outcome.hands.length).padStart(5)} ${pct(score!.pck).padStart(8)} ${`${score!.correct}/${score!.labelled}`.padStart(7)} ${sec(outcome.wallMs).padStart(8)} ${sec(outcome.hookMs).padStart(7)}${outcome.loaded ? "*" : " "} ${handedness}`,
    );
  }
  const actions = rows.flatMap((row) => row.score?.actions ?? []);
  if (actions.length) {
    const meanOf = (pick: (a: THandActions) => number) =>
      (actions.reduce((sum, a) => sum + pick(a), 0) / actions.length).toFixed(1);
    lines.push(
      `actions per fully labelled hand (joints within 3 px of the labels): without the model ${meanOf((a) => a.manual)}, with it ${meanOf((a) => a.assisted)} (joints corrected per hand: ${meanOf((a) => a.corrected)}), over ${actions.length} hands`,
    );
  }
  const s = summarise(rows);
  lines.push(
    `mean PCK@${alpha} over ${s.scored} labelled hands (a missed hand counts 0): ${pct(s.meanPck)}; over the ${s.detected} detected: ${pct(s.meanPckDetected)}; pooled over joints: ${pct(s.pooledPck)}`,
    `handedness right on ${s.handednessRight}/${s.handednessLabelled} photos that label it`,
    `model time: first image ${sec(s.firstMs)} (* includes loading the model), later images median ${sec(s.laterMedianMs)}, max ${sec(s.laterMaxMs)}`,
  );
  return lines;
}
