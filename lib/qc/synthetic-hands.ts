/**
 * Made-up but anatomically plausible hands for tests and benchmarks: the annotation template
 * (lib/annotate/template.ts) placed at a given wrist and middle MCP, plus seeded jitter.
 * Deterministic, so a failing test or a benchmark run can be reproduced exactly.
 */
import { applyHandTemplate } from "@/lib/annotate/template";
import { bboxFromKeypoints } from "@/lib/hand/bbox";
import { emptyKeypoints, type THand, type THandedness, type THandView, type TKeypoint } from "@/lib/hand/schema";
import { BONES, WRIST } from "@/lib/hand/skeleton";

import { mulberry32 } from "@/lib/export/splits";

const MIDDLE_MCP = 9;

/** A seeded PRNG in [0, 1) (the same mulberry32 the export's splits use). */
export const seededRandom = mulberry32;

/** Standard normal sample (Box–Muller) from a uniform source. */
export function gaussian(random: () => number): number {
  const u = Math.max(random(), 1e-12);
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * random());
}

export function handFromKeypoints(
  keypoints: TKeypoint[],
  handedness: THandedness = "right",
  view: THandView | null = null,
): THand {
  return {
    handedness,
    keypoints,
    bbox: bboxFromKeypoints(keypoints),
    bboxEdited: false,
    gesture: null,
    view,
    interaction: "none",
    truncated: false,
    skinTone: null,
    attributes: {},
  };
}

/** An open hand, all 21 joints visible, wrist at `wrist`, middle MCP at `middleMcp`. */
export function templateHand(
  options: {
    handedness?: "left" | "right";
    view?: THandView | null;
    wrist?: [number, number];
    middleMcp?: [number, number];
  } = {},
): THand {
  const { handedness = "right", view = "palm", wrist = [200, 300], middleMcp = [200, 200] } = options;
  const seed = emptyKeypoints();
  seed[WRIST] = { x: wrist[0], y: wrist[1], state: "visible" };
  seed[MIDDLE_MCP] = { x: middleMcp[0], y: middleMcp[1], state: "visible" };
  const keypoints = applyHandTemplate(seed, handedness, view)!;
  return handFromKeypoints(keypoints, handedness, view);
}

/** A copy with every placed joint moved by Gaussian noise of `sigmaPx` per axis. */
export function jitterHand(hand: THand, random: () => number, sigmaPx: number): THand {
  const keypoints = hand.keypoints.map((p) =>
    p.state === "absent" ? p : { ...p, x: p.x + sigmaPx * gaussian(random), y: p.y + sigmaPx * gaussian(random) },
  );
  return { ...hand, keypoints, bbox: bboxFromKeypoints(keypoints) };
}

/**
 * A plain photo of `hand` alone, as raw RGB: skin-coloured fingers (`radius` px around each bone) on a blue
 * wall. For the off-skin check's tests (lib/qc/skin.ts), where a real photo would need a licence.
 */
export function paintHandPhoto(hand: THand, size: { width: number; height: number }, radius = 8): Uint8Array {
  const rgb = new Uint8Array(size.width * size.height * 3);
  const bones = BONES.map(([a, b]) => [hand.keypoints[a]!, hand.keypoints[b]!] as const).filter(
    ([p, q]) => p.state !== "absent" && q.state !== "absent",
  );
  const near = (x: number, y: number) =>
    bones.some(([p, q]) => {
      const [dx, dy] = [q.x - p.x, q.y - p.y];
      const t = Math.max(0, Math.min(1, ((x - p.x) * dx + (y - p.y) * dy) / (dx * dx + dy * dy || 1)));
      return Math.hypot(x - p.x - t * dx, y - p.y - t * dy) <= radius;
    });
  for (let y = 0; y < size.height; y++)
    for (let x = 0; x < size.width; x++)
      rgb.set(near(x, y) ? [205, 150, 120] : [60, 90, 160], 3 * (y * size.width + x));
  return rgb;
}
