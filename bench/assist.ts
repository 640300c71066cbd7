/**
 * Model-assisted labelling benchmark (`npm run bench -- assist`): the workspace's "Detect (D)" — MediaPipe
 * Hands run in headless Chromium from the app's own /mediapipe/ files — on the 12 real photos of
 * ../shared/hands-sample, against the app started the way users start it (`node scripts/start.mjs`, which
 * builds when the build is stale) on a fresh temp data folder (SQLite, local storage, no demo project).
 *
 * The photos are uploaded to a new project and labelled one after another in one page, as an annotator
 * would: D, read the detected hands from the workspace's data-doc, then (labels are not the point here)
 * undo, mark "no hands" and submit, which moves to the next image without reloading the page, so the
 * model stays loaded. Reports per image and overall:
 *   - PCK@0.2: share of labelled joints within 0.2 × the labelled hand's box size (larger side of the
 *     tight box around its labelled joints) of the detection; a missed hand scores 0 (lib/assist/pck.ts);
 *   - handedness against the label where the data set gives it (FreiHAND: right hands);
 *   - latency: D → hands in the document (wall, from the script) and the hook's own time, first image
 *     (includes downloading and starting the model) against the later ones;
 *   - requests: every request the page made went to the app itself (none leaves it).
 *
 *   BENCH_PORT=3400        first port tried (the next free one is used if it is taken)
 *   HANDS_SAMPLE=../shared/hands-sample
 *   BENCH_KEEP=1           keep the temp data folder and the server log
 *
 * Skips (exit 0, saying why) when the sample folder is absent: its photos must not be copied into the repository.
 */
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { regionBench } from "./support/region-bench";
import { mediapipeLandmarksBench } from "./support/mediapipe-landmarks";
import os from "node:os";
import path from "node:path";
import { ADMIN, ok, startServer, tail, type TServer } from "./support/app-server";
import { chromium, type APIRequestContext, type Browser } from "@playwright/test";
import {
  detectAllPhotos,
  HANDS_SAMPLE,
  report,
  sampleLabels,
  uploadPhotos,
  type TSampleLabel,
} from "../e2e/assist/photos";

const FIRST_PORT = Number(process.env.BENCH_PORT ?? 3400);
const KEEP = process.env.BENCH_KEEP === "1";
/** `npm run bench -- assist --region-only`: only the Node part (region assist), no server and no browser. */
const REGION_ONLY = process.argv.includes("--region-only");
/**
 * `npm run bench -- assist -- --mediapipe-landmarks`: only MediaPipe's own landmarks against region assist's on the
 * hands MediaPipe finds (bench/support/mediapipe-landmarks.ts; Chromium, no server).
 */
const MEDIAPIPE_LANDMARKS = process.argv.includes("--mediapipe-landmarks");
const root = path.resolve(import.meta.dirname, "..");
const CHROMIUM = "/usr/bin/chromium";

const log = (line: string) => process.stdout.write(`${line}\n`);
// ---------------------------------------------------------------------------------------------
// The server (as bench/workspace.ts)

// ---------------------------------------------------------------------------------------------
// Data

async function setUpProject(api: APIRequestContext, labels: TSampleLabel[]) {
  await ok(await api.post("/api/session", { data: ADMIN }));
  const { project } = await ok(
    await api.post("/api/projects", { data: { name: "Assist bench", annotationsPerImage: 1, leaseMinutes: 240 } }),
  );
  await ok(
    await api.post(`/api/projects/${project.id}/members`, {
      data: { email: ADMIN.email, roles: ["annotator", "manager"] },
    }),
  );
  const { consentText } = await ok(
    await api.post(`/api/projects/${project.id}/consent-texts`, {
      data: {
        version: "bench-v1",
        body: "I agree that photos of my hands are used to build a hand-pose dataset.",
        scopes: ["annotation", "research"],
        biometricNotice: "Hand photos can reveal fingerprints (biometric data).",
      },
    }),
  );
  const { subject } = await ok(await api.post(`/api/projects/${project.id}/subjects`, { data: {} }));
  await ok(
    await api.post(`/api/projects/${project.id}/subjects/${subject.id}/consent`, {
      data: {
        consentTextId: consentText.id,
        scopes: ["annotation", "research"],
        biometricNoticeAcknowledged: true,
        signedAt: new Date().toISOString(),
        jurisdiction: "EU",
      },
    }),
  );
  return { projectId: project.id as string, byImage: await uploadPhotos(api, project.id, subject.id, labels) };
}

async function main() {
  const sample = sampleLabels();
  if ("absent" in sample) {
    log(`bench/assist: skipped — ${sample.absent}.`);
    return;
  }
  const { labels } = sample;
  if (MEDIAPIPE_LANDMARKS) {
    log("");
    log("== MediaPipe Hands' own landmarks against region assist's, on the hands MediaPipe finds ==");
    await mediapipeLandmarksBench(root, labels, log);
    return;
  }
  log("");
  log("== After: region assist (box → hand-landmark network, no palm detector), Node ==");
  await regionBench(root, labels, log);
  if (REGION_ONLY) return;
  log("");
  log("== Before: MediaPipe Hands' automatic detection (palm detector + landmarks) through the workspace's D ==");
  if (!existsSync(path.join(root, "public/mediapipe/hands.js"))) {
    log(
      "bench/assist: skipped — public/mediapipe/ is missing (npm install runs scripts/copy-mediapipe.mjs; is @mediapipe/hands installed?)",
    );
    return;
  }
  const cpus = os.cpus();
  log(
    `phalanx assist benchmark: node ${process.version}, ${cpus.length} CPUs (${cpus[0]?.model.trim()}), load average ${os
      .loadavg()
      .map((l) => l.toFixed(2))
      .join(" ")}`,
  );
  const tmp = mkdtempSync(path.join(os.tmpdir(), "phalanx-bench-assist-"));
  let server: TServer | null = null;
  let browser: Browser | null = null;
  const stopAll = async () => {
    await browser?.close().catch(() => {});
    browser = null;
    await server?.stop();
    server = null;
  };
  for (const signal of ["SIGINT", "SIGTERM"] as const)
    process.once(signal, () => {
      void stopAll().finally(() => process.exit(130));
    });
  try {
    server = await startServer(tmp, FIRST_PORT, log);
    browser = await chromium.launch({
      headless: true,
      executablePath: existsSync(CHROMIUM) ? CHROMIUM : undefined,
      args: [
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--disable-dev-shm-usage",
      ],
    });
    log(`browser: Chromium ${browser.version()} headless, --disable-gpu`);
    const context = await browser.newContext({
      baseURL: server.baseURL,
      viewport: { width: 1400, height: 900 },
      deviceScaleFactor: 1,
    });
    const api = context.request;
    const { projectId, byImage } = await setUpProject(api, labels);
    log(`data: ${labels.length} photos from ${HANDS_SAMPLE} uploaded to project ${projectId}`);

    const page = await context.newPage();
    page.setDefaultTimeout(60_000);
    const origin = new URL(server.baseURL).origin;
    const foreign: string[] = [];
    let modelBytes = 0;
    page.on("request", (request) => {
      const url = request.url();
      if (!url.startsWith("data:") && !url.startsWith("blob:") && new URL(url).origin !== origin) foreign.push(url);
    });
    page.on("response", async (response) => {
      if (response.url().includes("/mediapipe/")) modelBytes += Number(response.headers()["content-length"] ?? 0);
    });
    const consoleErrors: string[] = [];
    page.on("console", (message) => {
      if (message.type() === "error") consoleErrors.push(`${message.text()} (${message.location().url || "?"})`);
    });
    page.on("pageerror", (error) => consoleErrors.push(String(error)));

    const rows = await detectAllPhotos(page, api, projectId, byImage);
    log("");
    log(
      "MediaPipe Hands (full model, CPU inference) through the workspace's D, per photo (* = first run: includes loading the model):",
    );
    for (const line of report(rows)) log(line);
    const first = rows[0]?.outcome;
    const later = rows
      .slice(1)
      .map((r) => r.outcome.wallMs)
      .sort((a, b) => a - b);
    log(
      `wall time D → hands in the document: first image ${first ? (first.wallMs / 1000).toFixed(2) : "–"} s (downloads ${(modelBytes / 1e6).toFixed(1)} MB of model files and starts the wasm graph), later images median ${later.length ? (later[Math.floor(later.length / 2)] / 1000).toFixed(2) : "–"} s`,
    );
    log(
      `requests outside ${origin}: ${foreign.length}${foreign.length ? ` — ${[...new Set(foreign)].slice(0, 5).join(", ")}` : " (none: the model runs from the app's own files)"}`,
    );
    if (consoleErrors.length)
      log(`browser console errors (${consoleErrors.length}): ${[...new Set(consoleErrors)].slice(0, 5).join(" | ")}`);
  } catch (error) {
    if (server) log(`server log (last lines):\n${tail(server.logFile)}`);
    throw error;
  } finally {
    await stopAll();
    if (!KEEP) rmSync(tmp, { recursive: true, force: true });
    else log(`kept ${tmp}`);
  }
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
