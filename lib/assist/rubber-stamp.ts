/**
 * The rubber-stamp guard: model-assisted work handed in almost exactly as the model proposed it, in
 * little time, is flagged for the reviewer. Correction distance = mean over the submitted hands of the
 * mean pixel distance between each placed joint and the nearest proposed hand's same joint.
 */
import type { THand } from "@/lib/hand/schema";
import type { TQualityFlag } from "@/lib/qc/flag";
import type { TModelPrediction } from "./mediapipe";

/** Below this mean correction (px, in the original image) the proposal counts as unchanged. */
export const UNCHANGED_BELOW_PX = 1.5;
/** …when the annotator also spent less than this active time per hand. */
export const QUICK_BELOW_MS_PER_HAND = 8_000;

export function correctionDistance(hands: readonly THand[], prediction: TModelPrediction): number | null {
  const proposals = prediction.hands.map((h) =>
    h.landmarks.map(([x, y]) => ({ x: x * prediction.image.width, y: y * prediction.image.height })),
  );
  const perHand: number[] = [];
  for (const hand of hands) {
    let best: number | null = null;
    for (const proposal of proposals) {
      const distances = hand.keypoints.flatMap((p, j) =>
        p.state === "absent" || !proposal[j] ? [] : [Math.hypot(p.x - proposal[j].x, p.y - proposal[j].y)],
      );
      if (distances.length === 0) continue;
      const mean = distances.reduce((a, b) => a + b, 0) / distances.length;
      if (best === null || mean < best) best = mean;
    }
    if (best !== null) perHand.push(best);
  }
  return perHand.length ? perHand.reduce((a, b) => a + b, 0) / perHand.length : null;
}

export function rubberStampFlag(correctionPx: number | null, activeMs: number, hands: number): TQualityFlag | null {
  if (correctionPx === null || hands === 0) return null;
  if (correctionPx >= UNCHANGED_BELOW_PX || activeMs / hands >= QUICK_BELOW_MS_PER_HAND) return null;
  return {
    code: "model-unchanged",
    severity: "warning",
    joints: [],
    message: `Submitted almost exactly as the model proposed (mean correction ${correctionPx.toFixed(1)} px) after ${Math.round(activeMs / 1000)} s: check it was really reviewed`,
  };
}
