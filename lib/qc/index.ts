/** Automatic quality checks on labelled hands (DESIGN.md §4). One file per check; this is the entry point. */
export { ZQualityFlag, ZQualityFlagCode, ZQualitySeverity, QUALITY_FLAG_CODES } from "./flag";
export type { TQualityFlag, TQualityFlagCode, TQualitySeverity } from "./flag";
export { runQualityChecks, hasStrongFlag, type TQualityContext } from "./run-checks";
export { checkHandedness, expectedThumbSide, observedThumbSide } from "./handedness";
export { checkFingerOrder } from "./finger-order";
export { checkFolding } from "./folding";
export { checkPhalanxRatios } from "./phalanx-ratios";
export { checkCoincidentJoints } from "./coincident-joints";
export { checkOutsideImage, checkTooFewJoints, checkPlacementState } from "./placement";
export { checkDuplicateHand } from "./duplicate-hand";
export { handScale } from "./geometry";
export { checkBoneLengths } from "./bone-lengths";
export { checkChainDirection } from "./chain-direction";
export { checkHandednessSignals } from "./handedness-signals";
export { checkBox, checkImageBorder } from "./frame";
export { checkJointConsistency } from "./joint-consistency";
export type { TModelHand } from "./run-checks";
