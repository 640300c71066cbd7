/** Every tunable threshold of the quality checks in one place to print (bench/qc.ts); each is defined beside its check. */
export { MIN_PALM_WIDTH } from "./handedness";
export { FINGER_ORDER_TOLERANCE, THUMB_SWAP_MIN_OFF, THUMB_DECIDES } from "./finger-order";
export { FOLD_TURN_DEG, FOLD_MIN_BONE, CROSS_STRONG_MIN_BONE } from "./folding";
export {
  MAX_DISTAL_OVER_PROXIMAL,
  MAX_MIDDLE_OVER_PROXIMAL,
  MAX_DISTAL_OVER_MIDDLE,
  MIN_LONG_BONE,
} from "./phalanx-ratios";
export { COINCIDE_FRACTION, COINCIDE_STRONG_FRACTION, COINCIDE_MIN_PX, COINCIDE_STRETCH } from "./coincident-joints";
export { MIN_PLACED_JOINTS } from "./placement";
export { DUPLICATE_FRACTION, DUPLICATE_MIN_COMMON } from "./duplicate-hand";
export { MAX_BONE_STRETCH, MIN_BONE_YARDSTICK, THUMB_CMC_YARDSTICK } from "./bone-lengths";
export {
  MCP_MAX_REACH,
  KNUCKLE_ROW_TOLERANCE,
  CURL_MIN_DEG,
  CURL_MIN_BONE,
  ZIGZAG_MIN_DEG,
  KNUCKLE_ROW_MAX_OFF,
} from "./chain-direction";
export { MODEL_STRONG_SCORE, MODEL_MATCH_DISTANCE, PAIR_MAX_SIZE_RATIO } from "./handedness-signals";
export { BORDER_PX, BOX_SLACK, BOX_STRONG_SHARE } from "./frame";
export {
  SKIN_MIN_SHARE,
  SKIN_MIN_AREA,
  SKIN_SAMPLE_RADIUS,
  SKIN_EDGE,
  SKIN_MAP_LONG_SIDE,
  SKIN_SEARCH,
  SKIN_FOUND_SHARE,
} from "./skin";
export {
  CONSISTENCY_MIN_CUES,
  ZIG_MAJOR_DEG,
  ZIG_MINOR_DEG,
  AGAINST_DEG,
  DIP_ALONE_DEG,
  DIP_ALONE_PIP_DEG,
  CONSISTENCY_STRETCH,
  PHALANX_STEP,
  TURN_MIN_BONE,
} from "./joint-consistency";
export { READABLE_TURN_DEG, CURL_SENSE_MIN_DEG } from "./joint-consistency";
export { MODEL_OFF_BONE, MODEL_OFF_TYPICAL } from "./model-agreement";
