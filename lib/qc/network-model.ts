/**
 * Left/right always has a signal (issue 19, issue 13 item 4). Without the view (palm or back) the joints alone
 * cannot tell a right palm from a left back (handedness-signals.ts), and a hand drawn by hand — or imported —
 * carries no model prediction. So at submit the server runs the hand-landmark network (lib/assist/region.ts, the
 * one region assist runs in the browser) on the box of every hand that has neither a view nor a stored model
 * hand that names its side, and checks the label against the network's handedness like a stored prediction
 * (strong from MODEL_STRONG_SCORE). Pure: the network and the pixels come in through lib/assist/region.ts's
 * interfaces (lib/server/qc/network-model.ts supplies them on the server, bench/qc.ts in the benchmark).
 *
 * Why on the server, not in the workspace or as a required view: every path that creates labels to check —
 * the workspace, the API, a COCO import (where issue 19 measured 0 of 10 swaps caught) — goes through it, a
 * client cannot skip it, and annotators get no extra click; the cost is paid only for hands without a view and
 * without the model's side (≈ 7 network runs of ~35 ms on a quiet core, bench/qc.ts prints it).
 */
import type { THand } from "@/lib/hand/schema";
import {
  labelRegion,
  resultKeypoints,
  type TBox,
  type TLandmarkNet,
  type TPixels,
  type TRegionResult,
} from "@/lib/assist/region";
import { handScale } from "./geometry";
import { matchModelHand } from "./handedness-signals";
import type { TModelHand } from "./run-checks";

/** A hand needs this many placed joints for its box to frame the hand the network should look at. */
export const NETWORK_MIN_JOINTS = 6;

const decided = (hand: THand) => hand.view === "palm" || hand.view === "back";

/**
 * The hands (indices) the network should look at: a side is labelled, the view does not decide it, and no
 * stored model hand matches the hand with a side of its own.
 */
export function handsNeedingNetwork(hands: readonly THand[], model: readonly TModelHand[] = []): number[] {
  return hands.flatMap((hand, index) => {
    if (hand.handedness === "unknown" || decided(hand)) return [];
    if (hand.keypoints.filter((p) => p.state !== "absent").length < NETWORK_MIN_JOINTS) return [];
    const scale = handScale(hand);
    if (!scale) return [];
    const seen = matchModelHand(hand, model, scale);
    return seen && seen.handedness !== "unknown" ? [] : [index];
  });
}

/** The box the network runs on: the tight box of the placed joints (not the stored box, which may be edited). */
export function networkBox(hand: THand): TBox | null {
  const placed = hand.keypoints.filter((p) => p.state !== "absent");
  if (placed.length < 2) return null;
  const xs = placed.map((p) => p.x);
  const ys = placed.map((p) => p.y);
  const box = {
    x: Math.min(...xs),
    y: Math.min(...ys),
    width: Math.max(...xs) - Math.min(...xs),
    height: Math.max(...ys) - Math.min(...ys),
  };
  return box.width > 0 && box.height > 0 ? box : null;
}

/**
 * A confident network result as a model hand in original-image pixels (`toOriginal` scales the pixels the
 * network saw back); null when the network is not confident a hand is there. The side is the more likely one
 * and the score its probability (0.5–1), as MediaPipe reports it.
 */
export function modelHandFromResult(
  result: TRegionResult,
  image: { width: number; height: number },
  toOriginal = 1,
): TModelHand | null {
  if (!result.confident) return null;
  const right = result.rightScore >= 0.5;
  const scaled = { ...result, points: result.points.map((p) => ({ x: p.x * toOriginal, y: p.y * toOriginal })) };
  return {
    handedness: right ? "right" : "left",
    score: right ? result.rightScore : 1 - result.rightScore,
    keypoints: resultKeypoints(scaled, image),
    via: "network",
  };
}

/**
 * The network's view of one hand: `pixels` show the original image scaled by `pixelScale` (display rendition
 * pixels per original pixel). Null where the hand has no box or the network sees no hand there.
 */
export async function networkModelHand(
  net: TLandmarkNet,
  pixels: TPixels,
  pixelScale: number,
  hand: THand,
  image: { width: number; height: number },
): Promise<TModelHand | null> {
  const box = networkBox(hand);
  if (!box) return null;
  const scaled = {
    x: box.x * pixelScale,
    y: box.y * pixelScale,
    width: box.width * pixelScale,
    height: box.height * pixelScale,
  };
  return modelHandFromResult(await labelRegion(net, pixels, scaled), image, 1 / pixelScale);
}
