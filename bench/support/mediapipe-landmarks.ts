/**
 * MediaPipe Hands' own landmarks against region assist's on the same hands (`npm run bench -- assist --
 * --mediapipe-landmarks`): the workspace's automatic Detect runs MediaPipe Hands (palm detector + its 2023
 * hand_landmark_full.tflite) and then refines each hand it found by running region assist on that hand's box
 * (components/annotate/refine-detections.ts). Is MediaPipe's own skeleton, or a blend of the two, better than the
 * refinement? On the hands MediaPipe finds on the 12 sample photos and the generated small-hands scenes
 * (bench/support/region-bench.ts), with the same measures as the region bench: PCK@0.05 and @0.2 of the hand box's
 * longer side, and the simulated annotator's actions to bring every joint within 0.05 of it (lib/assist/actions.ts,
 * hand and knuckle drags; the box or D counts as one action; handedness by the workspace's rule: the region model's
 * unless it is unsure, then MediaPipe's).
 *
 * MediaPipe runs in headless Chromium from public/mediapipe/ with the workspace's DETECTOR_OPTIONS, on a page of a
 * throwaway local server that serves only those files and the images (PNG of the exact pixels region assist sees);
 * the app is not started.
 */
import { existsSync, readFileSync } from "node:fs";
import http from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";
import sharp from "sharp";
import { chromium } from "@playwright/test";
import { DETECTOR_OPTIONS } from "../../components/annotate/use-hand-detector";
import { assistedActionsWithHandDrag } from "../../lib/assist/actions";
import { loadLandmarkNetFromDisk } from "../../lib/assist/landmark-runner-node";
import { resultsToHands, type TMpResults } from "../../lib/assist/mediapipe";
import { FINGERS, FINGERTIPS, WRIST } from "../../lib/hand/skeleton";
import { boxSize, handPck, imagePck, mean, type TPoint } from "../../lib/assist/pck";
import { handednessFromScore, labelRegion, UNCERTAIN_ABOVE } from "../../lib/assist/region";
import type { TSampleLabel } from "../../e2e/assist/photos";
import { sampleCases, smallHandCases, tightBox, type TCase } from "./region-bench";

type TPred = (TPoint | null)[];

const { thumb, ...longFingers } = FINGERS;
const GROUPS: Record<string, readonly number[]> = {
  wrist: [WRIST],
  "thumb base": thumb.slice(0, 2),
  MCPs: Object.values(longFingers).map((chain) => chain[0]),
  "PIP/DIP": [thumb[2], ...Object.values(longFingers).flatMap((chain) => chain.slice(1, 3))],
  tips: FINGERTIPS,
};
/** The joints that move with the palm: the wrist, the thumb's base and the other fingers' bases. */
const PALM = new Set([...GROUPS.wrist!, ...GROUPS["thumb base"]!, ...GROUPS.MCPs!]);

const median = (values: number[]) => {
  const sorted = values.filter(Number.isFinite).sort((a, b) => a - b);
  return sorted.length ? sorted[Math.floor(sorted.length / 2)]! : NaN;
};

function blend(a: TPred, b: TPred): TPred {
  return a.map((p, j) => {
    const q = b[j];
    return p && q ? { x: (p.x + q.x) / 2, y: (p.y + q.y) / 2 } : (p ?? q ?? null);
  });
}

/** MediaPipe Hands on each image in headless Chromium: raw results per image. */
async function runMediaPipe(root: string, images: { png: Buffer }[]): Promise<TMpResults[]> {
  const server = http.createServer((request, response) => {
    const url = (request.url ?? "/").split("?")[0]!;
    if (url === "/") return response.end("<!doctype html><html><body></body></html>");
    if (url.startsWith("/img/")) {
      response.setHeader("content-type", "image/png");
      return response.end(images[Number(url.slice(5))]?.png);
    }
    const file = path.join(root, "public", path.normalize(url));
    if (path.normalize(url).startsWith("/mediapipe/") && existsSync(file)) {
      const type = file.endsWith(".js") ? "text/javascript" : file.endsWith(".wasm") ? "application/wasm" : "";
      if (type) response.setHeader("content-type", type);
      return response.end(readFileSync(file));
    }
    response.statusCode = 404;
    response.end();
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const browser = await chromium.launch({
    headless: true,
    executablePath: existsSync("/usr/bin/chromium") ? "/usr/bin/chromium" : undefined,
    args: ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"],
  });
  try {
    const page = await browser.newPage();
    // tsx names functions through a helper the page does not have.
    await page.addInitScript({ content: "window.__name = (f) => f;" });
    await page.goto(`${origin}/`);
    await page.addScriptTag({ url: "/mediapipe/hands.js" });
    await page.evaluate(async (options) => {
      type THands = {
        setOptions(o: unknown): void;
        onResults(f: (r: TMpResults) => void): void;
        initialize(): Promise<void>;
        reset(): void;
        send(i: unknown): Promise<void>;
      };
      const w = window as unknown as Record<string, unknown>;
      const hands = new (w.Hands as new (c: unknown) => THands)({ locateFile: (f: string) => `/mediapipe/${f}` });
      hands.setOptions(options);
      let pending: ((r: TMpResults) => void) | null = null;
      hands.onResults((results) => {
        pending?.({
          multiHandLandmarks: (results.multiHandLandmarks ?? []).map((l) => l.map((p) => ({ x: p.x, y: p.y }))),
          multiHandedness: (results.multiHandedness ?? []).map((h) => ({
            index: h.index,
            score: h.score,
            label: h.label,
          })),
        });
        pending = null;
      });
      await hands.initialize();
      w.runHands = async (src: string) => {
        const image = new Image();
        image.src = src;
        await image.decode();
        hands.reset();
        const out = new Promise((resolve) => (pending = resolve));
        await hands.send({ image });
        return out;
      };
    }, DETECTOR_OPTIONS);
    const out: TMpResults[] = [];
    for (let i = 0; i < images.length; i++)
      out.push(
        await page.evaluate(
          (src) => (window as unknown as { runHands: (s: string) => Promise<TMpResults> }).runHands(src),
          `/img/${i}`,
        ),
      );
    return out;
  } finally {
    await browser.close();
    server.close();
  }
}

export async function mediapipeLandmarksBench(root: string, labels: TSampleLabel[], log: (line: string) => void) {
  const cases: TCase[] = [...(await sampleCases(labels)), ...(await smallHandCases(labels))];
  // One image per distinct picture (the scenes hold several hands).
  const images: { pixels: TCase["pixels"]; png: Buffer; cases: TCase[] }[] = [];
  for (const c of cases) {
    const known = images.find((image) => image.pixels === c.pixels);
    if (known) {
      known.cases.push(c);
      continue;
    }
    const { data, width, height, channels } = c.pixels;
    const png = await sharp(Buffer.from(data as Uint8Array), { raw: { width, height, channels } })
      .png()
      .toBuffer();
    images.push({ pixels: c.pixels, png, cases: [c] });
  }
  const results = await runMediaPipe(root, images);
  const net = await loadLandmarkNetFromDisk(root);
  type TScore = { pck05: number; pck20: number; actions: number; errors: Record<string, number> };
  const rows: { c: TCase; scores: Record<string, TScore> }[] = [];
  for (const [i, image] of images.entries()) {
    const size = { width: image.pixels.width, height: image.pixels.height };
    const detected = resultsToHands(results[i]!, size);
    const predicted: TPred[] = detected.map((d) =>
      d.hand.keypoints.map((p) => (p.state === "absent" ? null : { x: p.x, y: p.y })),
    );
    const matches = imagePck(
      image.cases.map((c) => c.truth),
      predicted,
      0.2,
    );
    for (const [k, c] of image.cases.entries()) {
      const matched = matches[k]!.matched;
      if (matched === null) continue;
      const detector = detected[matched]!.hand;
      const mediapipe = predicted[matched]!;
      const fromLabelled = await labelRegion(net, c.pixels, tightBox(c.truth));
      // What the workspace does today: region assist on the detector's box.
      const fromDetector = await labelRegion(net, c.pixels, detector.bbox!);
      // The same without the box's 10 % margin: the tight box around MediaPipe's joints.
      const fromDetectorTight = await labelRegion(net, c.pixels, tightBox(mediapipe.map((p) => p ?? null)));
      const variants: Record<string, { points: TPred; rightScore: number | null }> = {
        "MediaPipe's own landmarks": { points: mediapipe, rightScore: null },
      };
      if (fromDetector.confident) {
        const r = fromDetector;
        variants["region on the detector's box (today)"] = { points: r.points, rightScore: r.rightScore };
        variants["mean of the two"] = { points: blend(mediapipe, r.points), rightScore: r.rightScore };
        variants["region, MediaPipe where region unsure"] = {
          points: r.points.map((p, j) => (r.uncertainty[j]! > UNCERTAIN_ABOVE ? (mediapipe[j] ?? p) : p)),
          rightScore: r.rightScore,
        };
        variants["palm MediaPipe's, fingers region's"] = {
          points: r.points.map((p, j) => (PALM.has(j) ? (mediapipe[j] ?? p) : p)),
          rightScore: r.rightScore,
        };
      }
      if (fromDetectorTight.confident)
        variants["region on the tight box of MediaPipe's joints"] = {
          points: fromDetectorTight.points,
          rightScore: fromDetectorTight.rightScore,
        };
      if (fromLabelled.confident) {
        variants["region on the labelled box"] = { points: fromLabelled.points, rightScore: fromLabelled.rightScore };
        variants["mean of MediaPipe and region on the labelled box"] = {
          points: blend(mediapipe, fromLabelled.points),
          rightScore: fromLabelled.rightScore,
        };
      }
      const side = boxSize(c.truth);
      const known = c.handedness !== null;
      const scores: Record<string, TScore> = {};
      for (const [name, v] of Object.entries(variants)) {
        const fromRegion = v.rightScore === null ? "unknown" : handednessFromScore(v.rightScore);
        const handedness = fromRegion === "unknown" ? detector.handedness : fromRegion;
        const errors = Object.fromEntries(
          Object.entries(GROUPS).map(([group, joints]) => [
            group,
            median(
              joints.flatMap((j) => {
                const t = c.truth[j];
                const p = v.points[j];
                return t && p ? [Math.hypot(p.x - t.x, p.y - t.y) / side] : [];
              }),
            ),
          ]),
        );
        scores[name] = {
          pck05: handPck(c.truth, v.points, 0.05).pck,
          pck20: handPck(c.truth, v.points, 0.2).pck,
          actions: assistedActionsWithHandDrag(c.truth, v.points, {
            tolerancePx: 0.05 * side,
            handednessWrong: known && handedness !== c.handedness,
            knownHandedness: known,
            detectShare: 1,
          }).assisted,
          errors,
        };
      }
      rows.push({ c, scores });
    }
  }
  net.dispose();
  const found = (set: string) => rows.filter((r) => r.c.set === set).length;
  const total = (set: string) => cases.filter((c) => c.set === set).length;
  log(
    `MediaPipe Hands found ${found("sample")}/${total("sample")} sample hands and ${found("small")}/${total("small")} small hands; on those ${rows.length}:`,
  );
  log(
    `  ${"landmarks".padEnd(50)} hands PCK@0.05 PCK@0.2 actions@0.05  median error / box side: ${Object.keys(GROUPS).join(", ")}`,
  );
  const names = [...new Set(rows.flatMap((r) => Object.keys(r.scores)))];
  for (const name of names) {
    const of = rows.flatMap((r) => (r.scores[name] ? [r.scores[name]!] : []));
    log(
      `  ${name.padEnd(50)} ${String(of.length).padStart(5)} ${mean(of.map((s) => s.pck05))
        .toFixed(2)
        .padStart(8)} ${mean(of.map((s) => s.pck20))
        .toFixed(2)
        .padStart(7)} ${mean(of.map((s) => s.actions))
        .toFixed(2)
        .padStart(12)}  ${Object.keys(GROUPS)
        .map((g) => median(of.map((s) => s.errors[g]!)).toFixed(3))
        .join(", ")}`,
    );
  }
}
