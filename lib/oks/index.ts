/** OKS (COCO keypoint similarity) for hands: scoring, matching two annotators, and estimating sigmas. */
export { COCO_WHOLEBODY_HAND_SIGMAS } from "./sigmas";
export { oks, handArea, type OksOptions } from "./oks";
export { matchHandsByOks, symmetricOks, MIN_MATCH_OKS, type HandMatch, type HandMatching } from "./match";
export {
  addSigmaSums,
  estimateSigmas,
  estimateSigmasFromSums,
  NO_SIGMA_SUMS,
  sigmaStats,
  sigmaStatsFromSums,
  sigmaSums,
  MIN_SIGMA_PAIRS,
  type SigmaStats,
  type TSigmaSums,
} from "./estimate-sigmas";
export { labellingAgreement } from "./agreement";
