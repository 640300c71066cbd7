/**
 * Workspace benchmark (`npm run bench -- workspace`): the annotation workspace in headless Chromium,
 * against the app started the way users start it (`node scripts/start.mjs`, which builds when the
 * build is stale) on a fresh temp data folder (SQLite, local storage, no demo project).
 *
 *   (a) actions per fully labelled hand: N then 21 clicks, and the keyboard + template path
 *       (N, wrist click, T, middle-MCP click); every key press and click the script makes is counted.
 *   (b) frame intervals (requestAnimationFrame) while dragging a joint with 6 hands on a 6000×4000
 *       image: (b1) moves through page.mouse, each waiting for the page; (b2) a mouse at 120 Hz that
 *       does not wait (the realistic case); (b3) (b2) under the CPU profiler, self time by origin;
 *       then what-ifs that change Konva settings from the page (perfectDrawEnabled, loupe) to size
 *       possible fixes, and (b2) again as a drift check.
 *   (c) autosave: HTTP round trip of PUT /api/annotations/{id} and edit → "All changes saved"
 *       (which includes the 700 ms debounce) over a run of single-pixel nudges.
 *
 *   BENCH_PORT=3300        first port tried (the next free one is used if it is taken)
 *   BENCH_SAVES=30         edits in (c)
 *   BENCH_DRAG_MOVES=200   pointer moves in the drag of (b)
 *   BENCH_VIEWPORT=1600x900
 *   BENCH_KEEP=1           keep the temp data folder and the server log
 *
 * Claim latency is bench/claim.ts's business and is not measured here.
 */
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { ADMIN, ok, sleep, startServer, tail, type TServer } from "./support/app-server";
import sharp from "sharp";
import { chromium, type APIRequestContext, type Browser, type CDPSession, type Page } from "@playwright/test";

const FIRST_PORT = Number(process.env.BENCH_PORT ?? 3300);
const SAVES = Number(process.env.BENCH_SAVES ?? 30);
const DRAG_MOVES = Number(process.env.BENCH_DRAG_MOVES ?? 200);
const [VIEW_W, VIEW_H] = (process.env.BENCH_VIEWPORT ?? "1600x900").split("x").map(Number);
const KEEP = process.env.BENCH_KEEP === "1";
for (const [name, value] of Object.entries({
  BENCH_PORT: FIRST_PORT,
  BENCH_SAVES: SAVES,
  BENCH_DRAG_MOVES: DRAG_MOVES,
  BENCH_VIEWPORT: VIEW_W * VIEW_H,
})) {
  if (!Number.isInteger(value) || value < 1)
    throw new Error(`${name} must be a positive whole number (BENCH_VIEWPORT: WIDTHxHEIGHT)`);
}
const CHROMIUM = "/usr/bin/chromium";
const FRAME_BUDGET_MS = 1000 / 60;

const log = (line: string) => process.stdout.write(`${line}\n`);
const percentile = (values: number[], p: number) => {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
};
const ms = (value: number) => (Number.isFinite(value) ? value.toFixed(1) : "–");

type TDoc = { hands: { handedness: string; keypoints: { x: number; y: number; state: string }[] }[]; noHands: boolean };
type TCamera = { x: number; y: number; scale: number };

// ---------------------------------------------------------------------------------------------
// The server

async function smallJpeg(i: number): Promise<Buffer> {
  const hue = (i * 67) % 360;
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="640" height="480">
    <rect width="100%" height="100%" fill="hsl(${hue},35%,55%)"/>
    <ellipse cx="${200 + i * 40}" cy="${200 + i * 15}" rx="120" ry="80" fill="hsl(${(hue + 150) % 360},40%,40%)"/>
    <text x="20" y="460" font-size="28" fill="#fff">bench ${i}</text></svg>`;
  return sharp(Buffer.from(svg)).jpeg({ quality: 85 }).toBuffer();
}

/** 6000×4000: a gradient with blobs plus sensor-like noise, so the JPEG is photo-sized (several MB). */
async function bigJpeg(): Promise<Buffer> {
  const [width, height] = [6000, 4000];
  const blobs = Array.from(
    { length: 8 },
    (_, k) =>
      `<ellipse cx="${(k * 997) % width}" cy="${(k * 1543) % height}" rx="${500 + k * 50}" ry="${700 - k * 40}" fill="hsl(${k * 40},45%,${35 + k * 4}%)"/>`,
  ).join("");
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}"><defs><linearGradient id="g" x1="0" y1="0" x2="1" y2="1"><stop offset="0" stop-color="#d9c3a5"/><stop offset="1" stop-color="#2f3a4a"/></linearGradient></defs><rect width="100%" height="100%" fill="url(#g)"/>${blobs}</svg>`;
  const noise = await sharp({
    create: { width, height, channels: 3, background: "#000", noise: { type: "gaussian", mean: 128, sigma: 12 } },
  })
    .png({ compressionLevel: 0 })
    .toBuffer();
  return sharp(Buffer.from(svg))
    .removeAlpha()
    .composite([{ input: noise, blend: "overlay" }])
    .jpeg({ quality: 90 })
    .toBuffer();
}

async function setUpProject(api: APIRequestContext) {
  await ok(await api.post("/api/session", { data: ADMIN }));
  const { project } = await ok(
    await api.post("/api/projects", { data: { name: "Workspace bench", annotationsPerImage: 1, leaseMinutes: 240 } }),
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
  // Queue order is upload order: two small images for (a), the big one for (b) and (c), one more small.
  const generated = performance.now();
  const big = await bigJpeg();
  const files = [
    { name: "small-1.jpg", buffer: await smallJpeg(1) },
    { name: "small-2.jpg", buffer: await smallJpeg(2) },
    { name: "big-6000x4000.jpg", buffer: big },
    { name: "small-3.jpg", buffer: await smallJpeg(3) },
  ];
  const generateMs = performance.now() - generated;
  const ids: Record<string, string> = {};
  const uploadMs: Record<string, number> = {};
  for (const file of files) {
    const started = performance.now();
    const { image } = await ok(
      await api.post(`/api/projects/${project.id}/images`, {
        multipart: { subjectId: subject.id, file: { name: file.name, mimeType: "image/jpeg", buffer: file.buffer } },
        timeout: 180_000,
      }),
    );
    uploadMs[file.name] = performance.now() - started;
    ids[file.name] = image.id;
  }
  log(
    `data: project ${project.id}; images generated in ${(generateMs / 1000).toFixed(1)} s; the 6000×4000 JPEG is ${(big.length / 1e6).toFixed(1)} MB, uploaded and ingested in ${(uploadMs["big-6000x4000.jpg"] / 1000).toFixed(1)} s`,
  );
  return { projectId: project.id as string, bigImageId: ids["big-6000x4000.jpg"] };
}

// ---------------------------------------------------------------------------------------------
// The workspace

/** Every user action the script performs on the workspace goes through these, so it is counted. */
class Actor {
  keys = 0;
  clicks = 0;
  constructor(readonly page: Page) {}
  reset() {
    this.keys = 0;
    this.clicks = 0;
  }
  async key(combo: string) {
    this.keys++;
    await this.page.keyboard.press(combo);
  }
  async clickImage(x: number, y: number) {
    const point = await screenPoint(this.page, x, y);
    this.clicks++;
    await this.page.mouse.click(point.x, point.y);
  }
}

async function camera(page: Page): Promise<TCamera> {
  return JSON.parse((await page.getByTestId("annotate-canvas").getAttribute("data-camera"))!);
}

async function screenPoint(page: Page, x: number, y: number) {
  const box = (await page.getByTestId("annotate-canvas").boundingBox())!;
  const cam = await camera(page);
  return { x: box.x + cam.x + x * cam.scale, y: box.y + cam.y + y * cam.scale };
}

async function workspaceDoc(page: Page): Promise<TDoc> {
  return JSON.parse((await page.getByTestId("workspace").getAttribute("data-doc"))!);
}

const placedJoints = (hand: TDoc["hands"][number]) => hand.keypoints.filter((p) => p.state !== "absent").length;

async function claim(api: APIRequestContext, projectId: string): Promise<{ annotationId: string; imageId: string }> {
  const claimed = await ok(await api.post(`/api/projects/${projectId}/queue/claim`));
  if (!claimed.annotationId) throw new Error(`the queue is empty: ${claimed.message}`);
  return claimed;
}

/** Opens an annotation; milliseconds until the canvas is fitted and the display image has loaded. */
async function openAnnotation(page: Page, annotationId: string): Promise<number> {
  const started = performance.now();
  await page.goto(`/annotate/${annotationId}`);
  await page.getByTestId("annotate-canvas").waitFor({ state: "visible" });
  await page.waitForFunction(
    () => {
      const canvas = document.querySelector("[data-testid=annotate-canvas]");
      const cam = canvas && JSON.parse(canvas.getAttribute("data-camera") ?? "{}");
      const loaded = performance.getEntriesByType("resource").some((entry) => entry.name.includes("/display"));
      return cam && cam.scale !== 1 && loaded;
    },
    undefined,
    { timeout: 60_000, polling: 50 },
  );
  // Two frames for Konva to draw the image.
  await page.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve))));
  return performance.now() - started;
}

async function waitSaved(page: Page) {
  await page.waitForFunction(
    () => document.querySelector("[data-testid=workspace]")?.getAttribute("data-save-status") === "saved",
    undefined,
    { timeout: 20_000, polling: 25 },
  );
}

/** Joint positions on a 640×480 image: a plausible open hand (as e2e/fixtures/workspace.ts). */
function handPoint(joint: number) {
  if (joint === 0) return { x: 320, y: 420 };
  const finger = Math.floor((joint - 1) / 4);
  const step = (joint - 1) % 4;
  return { x: 200 + finger * 60, y: 330 - step * 45 };
}

// In-page instruments, installed once per document: rAF recorder, long tasks, save-status log.
// Plain JavaScript in a string: tsx (esbuild keepNames) would wrap named functions in a `__name`
// helper that does not exist in the page.
const INSTRUMENTS = `(() => {
  if (window.__bench) return;
  const state = { frames: [], recording: false, longTasks: [], edits: [], moves: 0 };
  window.addEventListener("mousemove", () => { if (state.recording) state.moves++; }, true);
  window.__bench = state;
  const loop = (t) => { if (state.recording) state.frames.push(t); requestAnimationFrame(loop); };
  requestAnimationFrame(loop);
  try {
    new PerformanceObserver((list) => { for (const entry of list.getEntries()) state.longTasks.push({ start: entry.startTime, duration: entry.duration }); })
      .observe({ type: "longtask", buffered: false });
  } catch {}
  window.addEventListener("keydown", (event) => { if (event.key === "ArrowRight") state.edits.push({ key: performance.now(), saving: null, saved: null }); }, true);
  const root = document.querySelector("[data-testid=workspace]");
  new MutationObserver(() => {
    const status = root.getAttribute("data-save-status");
    const edit = state.edits[state.edits.length - 1];
    if (!edit) return;
    const now = performance.now();
    if (status === "saving" && edit.saving === null) edit.saving = now;
    if (status === "saved" && edit.saved === null) edit.saved = now;
  }).observe(root, { attributes: true, attributeFilter: ["data-save-status"] });
})()`;

/** Wraps Konva's Layer drawScene/drawHit with timers (JS time; the raster Chromium defers is not in it). */
const KONVA_TIMERS = `(() => {
  const K = window.Konva;
  if (!K || !K.Layer || !K.stages || !K.stages.length) return false;
  if (window.__konvaTimed) return true;
  const t = (window.__konvaTimed = { scene: 0, hit: 0, sceneCalls: 0, hitCalls: 0 });
  for (const [name, key] of [["drawScene", "scene"], ["drawHit", "hit"]]) {
    const original = K.Layer.prototype[name];
    K.Layer.prototype[name] = function (...args) {
      const started = performance.now();
      try { return original.apply(this, args); } finally { t[key] += performance.now() - started; t[key + "Calls"]++; }
    };
  }
  return true;
})()`;

type TFrameStats = {
  moves: number;
  frames: number;
  p50: number;
  p95: number;
  max: number;
  over: number;
  longTasks: number;
  longTaskMs: number;
};

async function recordFrames<T>(
  page: Page,
  during: () => Promise<T>,
): Promise<{ stats: TFrameStats; result: T; wallMs: number }> {
  await page.evaluate(() => {
    const b = (window as unknown as { __bench: { frames: number[]; recording: boolean; longTasks: unknown[] } })
      .__bench;
    b.frames = [];
    b.longTasks = [];
    b.recording = true;
    (b as unknown as { moves: number }).moves = 0;
  });
  const started = performance.now();
  const result = await during();
  const wallMs = performance.now() - started;
  // One more frame so the last interval that covers the work is in.
  await page.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve))));
  const { frames, longTasks, moves } = await page.evaluate(() => {
    const b = (
      window as unknown as {
        __bench: { frames: number[]; recording: boolean; longTasks: { duration: number }[]; moves: number };
      }
    ).__bench;
    b.recording = false;
    return { frames: b.frames, longTasks: b.longTasks, moves: b.moves };
  });
  const intervals = frames.slice(1).map((t, i) => t - frames[i]);
  return {
    result,
    wallMs,
    stats: {
      moves,
      frames: frames.length,
      p50: percentile(intervals, 50),
      p95: percentile(intervals, 95),
      max: Math.max(...intervals),
      over: intervals.filter((i) => i > FRAME_BUDGET_MS + 1).length,
      longTasks: longTasks.length,
      longTaskMs: longTasks.reduce((sum, t) => sum + t.duration, 0),
    },
  };
}

const dragPath = (from: { x: number; y: number }, i: number) => ({
  x: from.x + (i * 100) / DRAG_MOVES,
  y: from.y + 12 * Math.sin((i / DRAG_MOVES) * 4 * Math.PI),
});

/**
 * Pointer down on `from`, DRAG_MOVES small moves (100 px right with a wiggle), pointer up, each move
 * through page.mouse.move, which waits until the renderer has handled the event: the pace adapts to
 * the page, so this never queues input faster than the page takes it.
 */
async function dragAwaited(page: Page, from: { x: number; y: number }): Promise<number[]> {
  await page.mouse.move(from.x, from.y);
  await page.mouse.down();
  const moveMs: number[] = [];
  for (let i = 1; i <= DRAG_MOVES; i++) {
    const started = performance.now();
    const to = dragPath(from, i);
    await page.mouse.move(to.x, to.y);
    moveMs.push(performance.now() - started);
  }
  await page.mouse.up();
  return moveMs;
}

/**
 * The same path, but as a mouse delivers it: a move every 1000/hz ms whether or not the page kept up
 * (CDP input events sent without waiting for each one; Chromium coalesces queued moves per frame).
 */
async function dragPaced(page: Page, cdp: CDPSession, from: { x: number; y: number }, hz: number): Promise<number> {
  await page.mouse.move(from.x, from.y);
  await page.mouse.down();
  const sent: Promise<unknown>[] = [];
  const started = performance.now();
  for (let i = 1; i <= DRAG_MOVES; i++) {
    const wait = started + (i * 1000) / hz - performance.now();
    if (wait > 0) await sleep(wait);
    const to = dragPath(from, i);
    sent.push(
      cdp.send("Input.dispatchMouseEvent", { type: "mouseMoved", x: to.x, y: to.y, button: "left", buttons: 1 }),
    );
  }
  await Promise.all(sent);
  const end = dragPath(from, DRAG_MOVES);
  await cdp.send("Input.dispatchMouseEvent", {
    type: "mouseReleased",
    x: end.x,
    y: end.y,
    button: "left",
    buttons: 0,
    clickCount: 1,
  });
  await page.mouse.move(end.x, end.y); // Playwright's idea of the pointer, back in step
  return performance.now() - started;
}

type TProfileNode = {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number; columnNumber: number };
};

/**
 * Self time from a CDP CPU profile: by function (top `count`) and by origin. Origins of bundled code
 * are guessed from the text of the chunk line the function is on (Turbopack puts a library per line).
 */
async function profileSummary(
  profile: { nodes: TProfileNode[]; samples: number[]; timeDeltas: number[] },
  count: number,
) {
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const self = new Map<string, number>();
  const origin = new Map<string, number>();
  const sources = new Map<string, string[]>();
  const originOf = async (frame: TProfileNode["callFrame"]) => {
    if (frame.functionName === "(program)") return "native, outside JS (canvas raster, paint, compositing, input)";
    if (frame.functionName === "(garbage collector)") return "garbage collection";
    if (frame.functionName.startsWith("(")) return frame.functionName;
    if (!frame.url) return "canvas 2D / DOM built-ins called from JS";
    if (!sources.has(frame.url))
      sources.set(
        frame.url,
        await fetch(frame.url)
          .then(
            (r) => r.text(),
            () => "",
          )
          .then((text) => text.split("\n")),
      );
    const line = sources.get(frame.url)![frame.lineNumber] ?? "";
    const konva = (line.match(/Konva/g) ?? []).length;
    if (konva > 10) return "Konva";
    if (/react-konva|react-reconciler/i.test(line))
      return "react-konva + its React reconciler (+ app code bundled with it)";
    if (/react-dom|__reactFiber|ReactDOM/.test(line)) return "React DOM";
    return "other JS";
  };
  let total = 0;
  for (let i = 0; i < profile.samples.length; i++) {
    const delta = (profile.timeDeltas[i + 1] ?? 0) / 1000;
    const frame = byId.get(profile.samples[i])!.callFrame;
    const file = frame.url ? path.basename(frame.url.split("?")[0]) : "";
    const key = `${frame.functionName || "(anonymous)"}${file ? ` ${file}:${frame.lineNumber + 1}:${frame.columnNumber + 1}` : ""}`;
    self.set(key, (self.get(key) ?? 0) + delta);
    total += delta;
    const where = await originOf(frame);
    origin.set(where, (origin.get(where) ?? 0) + delta);
  }
  const idle = origin.get("(idle)") ?? 0;
  origin.delete("(idle)");
  const sorted = (map: Map<string, number>) =>
    [...map.entries()].filter(([key]) => key !== "(idle)").sort((a, b) => b[1] - a[1]);
  return { total, busy: total - idle, top: sorted(self).slice(0, count), origins: sorted(origin) };
}

async function main() {
  const cpus = os.cpus();
  log(
    `phalanx workspace benchmark: node ${process.version}, ${cpus.length} CPUs (${cpus[0]?.model.trim()}), ${(os.totalmem() / 2 ** 30).toFixed(1)} GiB RAM, ${os.platform()} ${os.release()}, load average ${os
      .loadavg()
      .map((l) => l.toFixed(2))
      .join(" ")}`,
  );
  const tmp = mkdtempSync(path.join(os.tmpdir(), "phalanx-bench-workspace-"));
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
  const runStarted = performance.now();
  try {
    server = await startServer(tmp, FIRST_PORT, log);
    browser = await chromium.launch({
      headless: true,
      executablePath: CHROMIUM,
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
    log(
      `browser: Chromium ${browser.version()} headless, --disable-gpu (software canvas), viewport ${VIEW_W}×${VIEW_H} at devicePixelRatio 1`,
    );
    const context = await browser.newContext({
      baseURL: server.baseURL,
      viewport: { width: VIEW_W, height: VIEW_H },
      deviceScaleFactor: 1,
    });
    const api = context.request; // shares the cookies with the page
    const { projectId, bigImageId } = await setUpProject(api);
    const page = await context.newPage();
    page.setDefaultTimeout(30_000);
    const actor = new Actor(page);
    const rows: [string, string, string][] = [];

    // Warm-up: the first navigation compiles nothing in production, but fills caches (fonts, chunks).
    await page.goto(`/projects/${projectId}/annotate`);

    // (a) one hand, one click per joint.
    const first = await claim(api, projectId);
    const openSmallMs = await openAnnotation(page, first.annotationId);
    actor.reset();
    const handStarted = performance.now();
    await actor.key("n");
    for (let joint = 0; joint < 21; joint++) await actor.clickImage(handPoint(joint).x, handPoint(joint).y);
    const handMs = performance.now() - handStarted;
    let doc = await workspaceDoc(page);
    if (doc.hands.length !== 1 || doc.hands[0].keypoints.some((p) => p.state !== "visible"))
      throw new Error(`(a) the hand is not complete: ${JSON.stringify(doc.hands.map(placedJoints))}`);
    rows.push([
      "(a) full hand, click per joint",
      `${actor.keys + actor.clicks} actions = ${actor.keys} key + ${actor.clicks} clicks`,
      `21/21 joints visible in data-doc; script time ${(handMs / 1000).toFixed(1)} s`,
    ]);
    await waitSaved(page);
    await ok(await api.post(`/api/annotations/${first.annotationId}/skip`, { data: { reason: "bench" } }));

    // (a') keyboard + template.
    const second = await claim(api, projectId);
    await openAnnotation(page, second.annotationId);
    actor.reset();
    await actor.key("n");
    await actor.clickImage(handPoint(0).x, handPoint(0).y);
    await actor.key("t");
    await actor.clickImage(handPoint(9).x, handPoint(9).y);
    doc = await workspaceDoc(page);
    if (doc.hands.length !== 1 || placedJoints(doc.hands[0]) !== 21)
      throw new Error(
        `(a') the template did not fill the hand: ${placedJoints(doc.hands[0] ?? ({ keypoints: [] } as never))} joints`,
      );
    rows.push([
      "(a') hand by N, wrist, T, middle MCP",
      `${actor.keys + actor.clicks} actions = ${actor.keys} keys + ${actor.clicks} clicks`,
      "21/21 joints placed (19 from the template, approximate)",
    ]);
    await waitSaved(page);
    await ok(await api.post(`/api/annotations/${second.annotationId}/skip`, { data: { reason: "bench" } }));

    // (b) the big image: skip whatever comes before it (nothing, in upload order).
    let big = await claim(api, projectId);
    while (big.imageId !== bigImageId) {
      await ok(await api.post(`/api/annotations/${big.annotationId}/skip`, { data: { reason: "bench" } }));
      big = await claim(api, projectId);
    }
    const openBigMs = await openAnnotation(page, big.annotationId);
    rows.push([
      "open workspace (640×480 / 6000×4000)",
      `${(openSmallMs / 1000).toFixed(2)} s / ${(openBigMs / 1000).toFixed(2)} s`,
      "goto → canvas fitted and display copy loaded (6000×4000 shows its ≤2560 px display copy)",
    ]);
    const bigCam = await camera(page);
    actor.reset();
    const sixStarted = performance.now();
    const wrists = Array.from({ length: 6 }, (_, i) => ({
      x: 1000 + (i % 3) * 2000,
      y: 1900 + Math.floor(i / 3) * 1950,
    }));
    for (const wrist of wrists) {
      await actor.key("n");
      await actor.clickImage(wrist.x, wrist.y);
      await actor.key("t");
      await actor.clickImage(wrist.x, wrist.y - 600);
    }
    const sixMs = performance.now() - sixStarted;
    doc = await workspaceDoc(page);
    if (doc.hands.length !== 6 || doc.hands.some((hand) => placedJoints(hand) !== 21))
      throw new Error(`(b) expected 6 full hands, got ${JSON.stringify(doc.hands.map(placedJoints))}`);
    rows.push([
      "(b) 6 hands by template on 6000×4000",
      `${actor.keys + actor.clicks} actions = ${actor.keys} keys + ${actor.clicks} clicks`,
      `6×21 joints placed; script time ${(sixMs / 1000).toFixed(1)} s; fitted scale ${bigCam.scale.toFixed(3)}`,
    ]);
    await waitSaved(page);

    await page.evaluate(INSTRUMENTS);
    // The rAF cadence of this browser with nothing happening: the floor for every frame figure below.
    const idle = await recordFrames(page, () => sleep(1000));
    rows.push([
      "rAF interval, idle (1 s)",
      `p50 ${ms(idle.stats.p50)} / p95 ${ms(idle.stats.p95)} / max ${ms(idle.stats.max)} ms`,
      `${idle.stats.frames} frames: this browser's frame cadence with no work`,
    ]);

    const cdp = await context.newCDPSession(page);
    await cdp.send("Performance.enable");
    const metrics = async () =>
      Object.fromEntries((await cdp.send("Performance.getMetrics")).metrics.map((m) => [m.name, m.value]));

    const metricsDelta = async <T>(work: () => Promise<T>) => {
      const before = await metrics();
      const result = await work();
      const after = await metrics();
      const delta = (name: string) => ((after[name] ?? 0) - (before[name] ?? 0)) * 1000;
      return {
        result,
        task: delta("TaskDuration"),
        script: delta("ScriptDuration"),
        style: delta("RecalcStyleDuration"),
        layout: delta("LayoutDuration"),
      };
    };
    const jointX = async () => (await workspaceDoc(page)).hands[0].keypoints[8];
    const checkMoved = async (start: { x: number }, label: string) => {
      const movedPx = ((await jointX()).x - start.x) * bigCam.scale;
      if (Math.abs(movedPx - 100) > 3)
        throw new Error(`(b) ${label}: the dragged joint moved ${movedPx.toFixed(1)} screen px, expected 100`);
      return movedPx;
    };
    const frameRow = (label: string, stats: TFrameStats, wallMs: number, note: string) =>
      rows.push([
        label,
        `p50 ${ms(stats.p50)} / p95 ${ms(stats.p95)} / max ${ms(stats.max)} ms`,
        `${stats.frames} frames in ${(wallMs / 1000).toFixed(2)} s, ${stats.over} intervals > ${ms(FRAME_BUDGET_MS + 1)} ms, ${stats.longTasks} long tasks; ` +
          `p95 ≤ 16.7 ms (±0.5 ms rAF jitter): ${stats.p95 <= FRAME_BUDGET_MS + 0.5 ? "met" : "MISSED"}; ${note}`,
      ]);
    const busyRow = (
      label: string,
      m: { task: number; script: number; style: number; layout: number },
      wallMs: number,
      moves: number,
    ) =>
      rows.push([
        label,
        `${ms(m.task / moves)} ms per handled move (${moves}); ${ms(m.task)} of ${ms(wallMs)} ms (${((100 * m.task) / wallMs).toFixed(0)}%)`,
        `script ${ms(m.script)}, style ${ms(m.style)}, layout ${ms(m.layout)}, other (canvas raster, paint, GC, IPC) ${ms(m.task - m.script - m.style - m.layout)} ms`,
      ]);

    // (b1) each move waits for the page (page.mouse.move).
    let start = await jointX();
    let from = await screenPoint(page, start.x, start.y);
    const awaited = await metricsDelta(() => recordFrames(page, () => dragAwaited(page, from)));
    await checkMoved(start, "page.mouse drag");
    const moveMs = awaited.result.result;
    frameRow(
      "(b1) frame interval, drag (page.mouse)",
      awaited.result.stats,
      awaited.result.wallMs,
      `${moveMs.length} moves at ${(moveMs.length / (awaited.result.wallMs / 1000)).toFixed(0)}/s (each page.mouse.move p50 ${ms(percentile(moveMs, 50))} / p95 ${ms(percentile(moveMs, 95))} ms)`,
    );
    busyRow("(b1) main thread, drag (page.mouse)", awaited, awaited.result.wallMs, awaited.result.stats.moves);
    await waitSaved(page);

    // From here on, Konva's layer draws are timed (JS side; raster is deferred to native code).
    const konvaTimed = (await page.evaluate(KONVA_TIMERS)) as boolean;
    const konvaDraw = async <T>(work: () => Promise<T>) => {
      await page.evaluate(
        "window.__konvaTimed && Object.keys(window.__konvaTimed).forEach((k) => { window.__konvaTimed[k] = 0; })",
      );
      const result = await work();
      const timed = (await page.evaluate("window.__konvaTimed")) as
        { scene: number; hit: number; sceneCalls: number; hitCalls: number } | undefined;
      return { result, timed };
    };
    const konvaNote = (
      timed: { scene: number; hit: number; sceneCalls: number; hitCalls: number } | undefined,
      frames: number,
    ) =>
      timed
        ? `; Konva layer draws (JS side) scene ${ms(timed.scene / frames)} + hit ${ms(timed.hit / frames)} ms per frame (${timed.sceneCalls} scene / ${timed.hitCalls} hit draws)`
        : "";

    // (b2) a mouse at 120 Hz, the page keeping up or not.
    start = await jointX();
    from = await screenPoint(page, start.x, start.y);
    const pacedTimed = await konvaDraw(() =>
      metricsDelta(() => recordFrames(page, () => dragPaced(page, cdp, from, 120))),
    );
    const paced = pacedTimed.result;
    await checkMoved(start, "paced drag");
    frameRow(
      "(b2) frame interval, drag (mouse at 120 Hz)",
      paced.result.stats,
      paced.result.wallMs,
      `${DRAG_MOVES} moves sent in ${(paced.result.result / 1000).toFixed(2)} s, ${paced.result.stats.moves} mousemove events reached the page (coalesced per frame)`,
    );
    busyRow("(b2) main thread, drag (mouse at 120 Hz)", paced, paced.result.wallMs, paced.result.stats.moves);
    rows[rows.length - 1][2] += konvaNote(pacedTimed.timed, paced.result.stats.frames);
    await waitSaved(page);

    // (b3) the 120 Hz drag again under the sampling profiler (its overhead skews frame times; only the split is used).
    await cdp.send("Profiler.enable");
    await cdp.send("Profiler.setSamplingInterval", { interval: 200 });
    start = await jointX();
    from = await screenPoint(page, start.x, start.y);
    await cdp.send("Profiler.start");
    const profiledDrag = await recordFrames(page, () => dragPaced(page, cdp, from, 120));
    const { profile } = await cdp.send("Profiler.stop");
    await checkMoved(start, "profiled drag");
    const profiled = await profileSummary(profile as never, 12);
    await waitSaved(page);

    // What-ifs (not the app's code): the same 120 Hz drag with Konva settings changed from the page,
    // to size what the suggestions in the report would buy. Undone afterwards.
    if (konvaTimed) {
      const whatIfs: [string, string][] = [
        [
          "perfectDrawEnabled=false on joints",
          "window.Konva.stages[0].find((n) => /^joint-/.test(n.name())).forEach((n) => n.perfectDrawEnabled(false))",
        ],
        ["… and the loupe layer hidden", "window.Konva.stages[0].getLayers()[2].visible(false)"],
      ];
      for (const [label, script] of whatIfs) {
        await page.evaluate(script);
        start = await jointX();
        from = await screenPoint(page, start.x, start.y);
        const run = await konvaDraw(() =>
          metricsDelta(() => recordFrames(page, () => dragPaced(page, cdp, from, 120))),
        );
        await checkMoved(start, label);
        const m = run.result;
        rows.push([
          `what-if: ${label}`,
          `${ms(m.task / m.result.stats.moves)} ms per handled move; frames p95 ${ms(m.result.stats.p95)} ms`,
          `script ${ms(m.script)}, other ${ms(m.task - m.script - m.style - m.layout)} ms of ${ms(m.result.wallMs)} ms${konvaNote(run.timed, m.result.stats.frames)}`,
        ]);
        await waitSaved(page);
      }
      await page.evaluate(
        "window.Konva.stages[0].find((n) => /^joint-/.test(n.name())).forEach((n) => n.perfectDrawEnabled(true)); window.Konva.stages[0].getLayers()[2].visible(true); window.Konva.stages[0].batchDraw()",
      );
      // The unchanged app once more: how much the machine drifted while the what-ifs ran.
      start = await jointX();
      from = await screenPoint(page, start.x, start.y);
      const again = await konvaDraw(() =>
        metricsDelta(() => recordFrames(page, () => dragPaced(page, cdp, from, 120))),
      );
      await checkMoved(start, "baseline again");
      rows.push([
        "(b2) again, as the app is (drift check)",
        `${ms(again.result.task / again.result.result.stats.moves)} ms per handled move; frames p95 ${ms(again.result.result.stats.p95)} ms`,
        `script ${ms(again.result.script)}, other ${ms(again.result.task - again.result.script - again.result.style - again.result.layout)} ms of ${ms(again.result.result.wallMs)} ms${konvaNote(again.timed, again.result.result.stats.frames)}`,
      ]);
      await waitSaved(page);
    } else {
      rows.push(["what-ifs", "skipped", "window.Konva is not there (Konva did not inject itself into the page)"]);
    }

    // (c) autosave: nudge the selected joint (the one just dragged) by 1 px, wait until saved, repeat.
    const puts: { started: number; ms: number; status: number }[] = [];
    page.on("requestfinished", (request) => {
      if (request.method() !== "PUT" || !request.url().includes(`/api/annotations/${big.annotationId}`)) return;
      const timing = request.timing();
      void request
        .response()
        .then((response) =>
          puts.push({ started: timing.startTime, ms: timing.responseEnd, status: response?.status() ?? 0 }),
        );
    });
    await page.evaluate(() => {
      (window as unknown as { __bench: { edits: unknown[] } }).__bench.edits = [];
    });
    const selection = JSON.parse((await page.getByTestId("workspace").getAttribute("data-selection"))!);
    if (selection.joint === null) await actor.key("Tab");
    const xBefore = (await workspaceDoc(page)).hands[selection.hand ?? 0].keypoints[selection.joint ?? 0].x;
    for (let i = 0; i < SAVES; i++) {
      await page.keyboard.press("ArrowRight");
      await page.waitForFunction(
        (n) =>
          (window as unknown as { __bench: { edits: { saved: number | null }[] } }).__bench.edits[n]?.saved != null,
        i,
        { timeout: 20_000, polling: 10 },
      );
      await sleep(100);
    }
    await sleep(300); // the last requestfinished event
    const edits = await page.evaluate(
      () =>
        (window as unknown as { __bench: { edits: { key: number; saving: number | null; saved: number | null }[] } })
          .__bench.edits,
    );
    const finalDoc = await workspaceDoc(page);
    const stored = await ok(await api.get(`/api/annotations/${big.annotationId}`));
    const serverDoc: TDoc | undefined = stored.doc ?? stored.annotation?.doc;
    const h = selection.hand ?? 0;
    const j = selection.joint ?? 0;
    const xAfter = finalDoc.hands[h].keypoints[j].x;
    if (Math.abs(xAfter - xBefore - SAVES) > 0.01)
      throw new Error(`(c) expected the joint ${SAVES} px further right, moved ${xAfter - xBefore}`);
    if (!serverDoc || Math.abs(serverDoc.hands[h].keypoints[j].x - xAfter) > 0.01)
      throw new Error("(c) the server's copy differs from the workspace's");
    const failedPuts = puts.filter((p) => p.status !== 200).length;
    const roundTrips = puts.map((p) => p.ms);
    const toSaved = edits.filter((e) => e.saved !== null).map((e) => e.saved! - e.key);
    const savingToSaved = edits.filter((e) => e.saved !== null && e.saving !== null).map((e) => e.saved! - e.saving!);
    const docBytes = JSON.stringify({ version: 1, doc: finalDoc, activeMs: 0 }).length;
    rows.push([
      "(c) PUT /api/annotations/{id} round trip",
      `p50 ${ms(percentile(roundTrips, 50))} / p95 ${ms(percentile(roundTrips, 95))} / max ${ms(Math.max(...roundTrips))} ms`,
      `${roundTrips.length} saves (${failedPuts} not 200), body ≈ ${(docBytes / 1024).toFixed(1)} KiB (6 hands); Playwright request.timing()`,
    ]);
    rows.push([
      '(c) "Saving…" → "All changes saved"',
      `p50 ${ms(percentile(savingToSaved, 50))} / p95 ${ms(percentile(savingToSaved, 95))} ms`,
      "in the page: save started → status saved (round trip + JSON + React commit)",
    ]);
    rows.push([
      '(c) edit → "All changes saved"',
      `p50 ${ms(percentile(toSaved, 50))} / p95 ${ms(percentile(toSaved, 95))} ms`,
      `keydown → status saved; includes the 700 ms debounce; ${toSaved.length}/${SAVES} edits; server copy matches`,
    ]);

    // The table.
    log("");
    const header: [string, string, string] = ["measure", "figure", "notes"];
    const widths = header.map((cell, i) => Math.max(cell.length, ...rows.map((row) => row[i].length)));
    const format = (cells: string[]) => cells.map((cell, i) => (i === 2 ? cell : cell.padEnd(widths[i]))).join("  ");
    log(format(header));
    log(widths.map((w, i) => "-".repeat(i === 2 ? Math.min(w, 60) : w)).join("  "));
    for (const row of rows) log(format(row));

    log("");
    log(
      `(b3) the 120 Hz drag under the CPU profiler (200 µs sampling; frames p50 ${ms(profiledDrag.stats.p50)} / p95 ${ms(profiledDrag.stats.p95)} ms with its overhead): ` +
        `main thread busy ${ms(profiled.busy)} of ${ms(profiled.total)} ms sampled.`,
    );
    log("  self time by origin:");
    for (const [name, time] of profiled.origins)
      log(
        `  ${ms(time).padStart(8)} ms  ${((100 * time) / Math.max(1, profiled.busy)).toFixed(1).padStart(5)}%  ${name}`,
      );
    log("  self time, top functions (production build: minified names, chunk:line:column):");
    for (const [name, time] of profiled.top)
      log(
        `  ${ms(time).padStart(8)} ms  ${((100 * time) / Math.max(1, profiled.busy)).toFixed(1).padStart(5)}%  ${name}`,
      );
    log(
      `\ntotal ${((performance.now() - runStarted) / 1000).toFixed(0)} s (server start included); load average now ${os
        .loadavg()
        .map((l) => l.toFixed(2))
        .join(
          " ",
        )} on ${cpus.length} CPUs (other work on the machine skews every frame figure: compare with the idle rAF row)`,
    );
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
