/**
 * The flags a reviewer sees. The review screen recomputes the label checks as the reviewer fixes labels, but
 * some flags cannot be recomputed from the labels alone — the rubber-stamp guard depends on the time the
 * annotator spent and on the model's proposal at submit, the network's left/right verdict on the photo's pixels —
 * so those are kept from the flags stored at submit.
 */
import type { THandFlag } from "./annotation-flags";
import type { TQualityFlagCode } from "./flag";

/**
 * Flags decided at submit from more than the labels: shown to reviewers as stored. The hand-landmark network's
 * left/right verdict (network-model.ts) runs on the server at submit only.
 */
export const SUBMIT_ONLY_FLAGS: ReadonlySet<TQualityFlagCode> = new Set(["model-unchanged", "handedness-network"]);

export function reviewFlags(recomputed: readonly THandFlag[], stored: readonly THandFlag[]): THandFlag[] {
  return [...recomputed, ...stored.filter((flag) => SUBMIT_ONLY_FLAGS.has(flag.code))];
}
