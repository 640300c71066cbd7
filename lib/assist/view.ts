/**
 * The view (palm or back towards the camera) a model's hand implies, so the left/right check
 * (lib/qc/handedness.ts) always has one to work with. The network names the person's hand from how the hand
 * looks; its joints say on which side of the palm the thumb lies. A right hand with its thumb on the image's
 * right (fingers up) shows its palm, with its thumb on the left its back; a left hand the mirror image. A palm
 * seen edge-on (too narrow for its sides to be told apart, lib/qc/handedness.ts MIN_PALM_WIDTH) is "side".
 * Nothing is suggested when the handedness is unknown.
 *
 * The suggestion is prefilled into the new hand and stored with the proposal (Annotation.modelPrediction,
 * hands[].view) so the workspace can say which views are still the model's (modelSuggestedView).
 */
import type { THand, THandedness, THandView } from "@/lib/hand/schema";
import { WRIST } from "@/lib/hand/skeleton";
import { MCPS } from "@/lib/qc/geometry";
import { expectedThumbSide, observedThumbSide } from "@/lib/qc/handedness";
import { newHand } from "@/lib/annotate/hand-ops";

export function suggestView(hand: Pick<THand, "keypoints">, handedness: THandedness): THandView | null {
  if (handedness === "unknown") return null;
  const observed = observedThumbSide({ ...newHand(), keypoints: hand.keypoints, handedness });
  if (!observed) {
    // Edge-on only when the palm was there to measure; too few joints suggest nothing.
    const placed = (j: number) => hand.keypoints[j] !== undefined && hand.keypoints[j].state !== "absent";
    return placed(WRIST) && MCPS.filter(placed).length >= 2 ? "side" : null;
  }
  return expectedThumbSide(handedness, "palm") === observed.side ? "palm" : "back";
}
