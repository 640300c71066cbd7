/**
 * Made-up but anatomically plausible hands for tests and benchmarks: the annotation template
 * (lib/annotate/template.ts) placed at a given wrist and middle MCP, plus seeded jitter.
 * Deterministic, so a failing test or a benchmark run can be reproduced exactly.
 */
import { applyHandTemplate } from "@/lib/annotate/template";
import { bboxFromKeypoints } from "@/lib/hand/bbox";
import { emptyKeypoints, type THand, type THandedness, type THandView, type TKeypoint } from "@/lib/hand/schema";
import { WRIST } from "@/lib/hand/skeleton";

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
