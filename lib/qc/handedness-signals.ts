/**
 * Left/right when the view is not set. Seen without knowing palm from back, a right hand and a left hand
 * are mirror images of each other — the joints alone cannot tell them apart (the depth that differs is
 * lost in a photo). So this check uses the other signals the app has, and says that it does:
 *  - the pose model's handedness, when a model prediction is stored for the image — or, for a hand without one,
 *    the hand-landmark network's, run on its box at submit (network-model.ts): strong when the model was
 *    confident (MODEL_STRONG_SCORE), a warning otherwise;
 *  - the other hands of the image: two hands labelled the same side whose knuckles mirror each other
 *    cannot both be right unless one is seen from the palm and the other from the back. For one person's
 *    two hands of about the same size that is the rare case: strong; otherwise a warning.
 * With the view set, handedness.ts decides from the geometry and this check stays silent.
 */
import type { THand } from "@/lib/hand/schema";
import { JOINT_COUNT } from "@/lib/hand/skeleton";
import { flag, type TQualityFlag } from "./flag";
import { at, dist, handScale } from "./geometry";
import { observedThumbSide } from "./handedness";
import type { TModelHand } from "./run-checks";

/** The model's handedness score from which its disagreement is a strong flag (MediaPipe reports 0.5–1). */
export const MODEL_STRONG_SCORE = 0.9;
/** A model hand is this labelled hand when their joints lie within this many hand sizes (median). */
export const MODEL_MATCH_DISTANCE = 0.5;
/** Two hands of one person: sizes within this ratio. */
export const PAIR_MAX_SIZE_RATIO = 1.5;

const decided = (hand: THand) => hand.view === "palm" || hand.view === "back";

/** The model hand whose joints match this hand's best, if any matches. */
export function matchModelHand(hand: THand, model: readonly TModelHand[], scale: number): TModelHand | null {
  let best: { m: TModelHand; d: number } | null = null;
  for (const m of model) {
    const distances: number[] = [];
    for (let j = 0; j < JOINT_COUNT; j++) {
      const p = at(hand, j);
      const q = m.keypoints[j];
      if (p && q && q.state !== "absent") distances.push(dist(p, q));
    }
    if (distances.length < 4) continue;
    distances.sort((a, b) => a - b);
    const d = distances[Math.floor(distances.length / 2)]!;
    if (d < MODEL_MATCH_DISTANCE * scale && (!best || d < best.d)) best = { m, d };
  }
  return best?.m ?? null;
}

export function checkHandednessSignals(
  hand: THand,
  otherHands: readonly THand[] = [],
  model: readonly TModelHand[] = [],
): TQualityFlag[] {
  if (hand.handedness === "unknown" || decided(hand)) return [];
  const scale = handScale(hand);
  if (!scale) return [];
  const flags: TQualityFlag[] = [];
  const side = hand.handedness;
  const other = side === "right" ? "left" : "right";

  const seen = matchModelHand(hand, model, scale);
  if (seen && seen.handedness !== "unknown" && seen.handedness !== side) {
    const strong = seen.score >= MODEL_STRONG_SCORE;
    const network = seen.via === "network";
    flags.push(
      flag(
        network ? "handedness-network" : "handedness-signal",
        strong ? "strong" : "warning",
        `Left/right looks swapped: labelled ${side}, but ${network ? "the hand-landmark network, run on this hand's box at submit," : "the pose model"} ` +
          `saw a ${seen.handedness} hand (${Math.round(100 * seen.score)}% sure). Without the view (palm or back) the joints ` +
          `alone cannot tell a ${side} palm from a ${other} back: check the hand, then set the view so the geometry can confirm it.`,
        [],
      ),
    );
  }

  const mine = observedThumbSide(hand);
  for (const o of otherHands) {
    if (o === hand || o.handedness !== side) continue;
    if (decided(hand) && decided(o)) continue;
    const theirs = observedThumbSide(o);
    if (!mine || !theirs || mine.side === theirs.side) continue;
    const otherScale = handScale(o);
    const similar = !!otherScale && Math.max(scale, otherScale) / Math.min(scale, otherScale) <= PAIR_MAX_SIZE_RATIO;
    flags.push(
      flag(
        "handedness-signal",
        similar ? "strong" : "warning",
        `Left/right: this hand and another hand in the image are both labelled ${side}, yet they are mirror images ` +
          `of each other, so one of them is probably a ${other} hand. (If one is seen from the palm and the other from ` +
          `the back — two people's hands — set their views instead.)`,
        mine.joints,
      ),
    );
    break;
  }
  return flags;
}
