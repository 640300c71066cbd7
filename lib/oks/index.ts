/** OKS (COCO keypoint similarity) for hands: scoring, matching two annotators, and estimating sigmas. */
export { COCO_WHOLEBODY_HAND_SIGMAS } from "./sigmas";
export { oks, handArea, type OksOptions } from "./oks";
export { matchHandsByOks, symmetricOks, MIN_MATCH_OKS, type HandMatch, type HandMatching } from "./match";
export { estimateSigmas, sigmaStats, MIN_SIGMA_PAIRS, type SigmaStats } from "./estimate-sigmas";
export { labellingAgreement } from "./agreement";
