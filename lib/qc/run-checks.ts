/**
 * All automatic quality checks on one hand, in a stable order (strong kinds first in each family).
 * Pure: no I/O, no clock, so the server, the canvas and exports agree on the same labels.
 */
import type { THand, THandedness, TKeypoint } from "@/lib/hand/schema";
import { checkBoneLengths } from "./bone-lengths";
import { checkChainDirection } from "./chain-direction";
import { checkCoincidentJoints } from "./coincident-joints";
import { checkDuplicateHand } from "./duplicate-hand";
import { checkFingerOrder } from "./finger-order";
import type { TQualityFlag } from "./flag";
import { checkFolding } from "./folding";
import { checkBox, checkImageBorder } from "./frame";
import { checkHandedness } from "./handedness";
import { checkJointConsistency } from "./joint-consistency";
import { checkHandednessSignals } from "./handedness-signals";
import { checkModelAgreement } from "./model-agreement";
import { checkPhalanxRatios } from "./phalanx-ratios";
import { checkOutsideImage, checkPlacementState, checkTooFewJoints } from "./placement";
import { checkSkin, type TSkinMap } from "./skin";

export type TQualityContext = {
  image: { width: number; height: number };
  /** The other hands of the same annotation (the hand itself is skipped if included). */
  otherHands?: readonly THand[];
  /** The hands a pose model found in this image, when its prediction is stored (sides already anatomical). */
  model?: readonly TModelHand[];
  /** The image's skin map (skin.ts), where the server had the pixels at hand: joints off the skin. */
  skin?: TSkinMap;
};

/**
 * One hand as a pose model saw it: its joints, the person's side it names, and its confidence in that side.
 * `via: "network"`: the hand-landmark network run on the hand's box at submit (network-model.ts), not a stored
 * prediction; its flags are kept as submitted (review-flags.ts), as the review screen does not run the network.
 */
export type TModelHand = {
  handedness: THandedness;
  score: number;
  keypoints: readonly TKeypoint[];
  via?: "network";
};

export function runQualityChecks(hand: THand, context: TQualityContext): TQualityFlag[] {
  return [
    ...checkPlacementState(hand),
    ...checkOutsideImage(hand, context.image),
    ...checkImageBorder(hand, context.image),
    ...checkBox(hand),
    ...checkTooFewJoints(hand),
    ...checkHandedness(hand),
    ...checkHandednessSignals(hand, context.otherHands, context.model),
    ...checkFingerOrder(hand),
    ...checkCoincidentJoints(hand),
    ...checkFolding(hand),
    ...checkChainDirection(hand),
    ...checkBoneLengths(hand),
    ...checkJointConsistency(hand, context.skin, context.model),
    ...checkModelAgreement(hand, context.model),
    ...checkPhalanxRatios(hand),
    ...checkDuplicateHand(hand, context.otherHands),
    ...checkSkin(hand, context.skin),
  ];
}

/** True when any flag is strong: the label should not be accepted without a look. */
export function hasStrongFlag(flags: readonly TQualityFlag[]): boolean {
  return flags.some((f) => f.severity === "strong");
}
