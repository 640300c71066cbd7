/**
 * Checks on where and whether joints are placed: outside the image, too few joints, and a state that
 * contradicts the position (defensive: ZKeypoint already normalises absent joints to 0,0 and rejects NaN,
 * but hands also arrive from imports and older rows).
 */
import { keypointsOutsideImage, type THand } from "@/lib/hand/schema";
import { flag, label, type TQualityFlag } from "./flag";

/**
 * Fewer placed joints than this is a warning. Same bar as submitting (lib/annotate/submit-checks.ts:
 * the wrist and five more): below it a hand carries too little pose to train on. Warning, not strong:
 * a heavily occluded hand may honestly show only a few joints.
 */
export const MIN_PLACED_JOINTS = 6;

/** Placed joints outside [0,width]×[0,height]: strong — a position that cannot be in this photo. */
export function checkOutsideImage(hand: THand, image: { width: number; height: number }): TQualityFlag[] {
  const outside = keypointsOutsideImage(hand.keypoints, image.width, image.height).filter((j) => {
    const p = hand.keypoints[j]!;
    return Number.isFinite(p.x) && Number.isFinite(p.y); // missing positions are placement-state's business
  });
  if (outside.length === 0) return [];
  return [
    flag(
      "outside-image",
      "strong",
      `${outside.map(label).join(", ")} ${outside.length === 1 ? "lies" : "lie"} outside the image ` +
        `(${image.width}×${image.height}); mark a joint beyond the edge as absent.`,
      outside,
    ),
  ];
}

export function checkTooFewJoints(hand: THand): TQualityFlag[] {
  const placed = hand.keypoints.filter((p) => p.state !== "absent").length;
  if (placed >= MIN_PLACED_JOINTS) return [];
  return [
    flag(
      "too-few-joints",
      "warning",
      `Only ${placed} of 21 joints are placed (at least ${MIN_PLACED_JOINTS} expected); ` +
        `estimate the hidden ones as occluded where you can.`,
      [],
    ),
  ];
}

/**
 * A visible/occluded joint without a real position is strong (the label is corrupt); an absent joint that
 * still carries a position is a warning (harmless once normalised, but the state may be the mistake).
 */
export function checkPlacementState(hand: THand): TQualityFlag[] {
  const noPosition: number[] = [];
  const stale: number[] = [];
  hand.keypoints.forEach((p, j) => {
    const finite = Number.isFinite(p.x) && Number.isFinite(p.y);
    if (p.state !== "absent" && !finite) noPosition.push(j);
    if (p.state === "absent" && (!finite || p.x !== 0 || p.y !== 0)) stale.push(j);
  });
  const flags: TQualityFlag[] = [];
  if (noPosition.length > 0) {
    flags.push(
      flag(
        "placed-without-position",
        "strong",
        `${noPosition.map(label).join(", ")} ${noPosition.length === 1 ? "is" : "are"} marked placed but ${noPosition.length === 1 ? "has" : "have"} no position; place ${noPosition.length === 1 ? "it" : "them"} again.`,
        noPosition,
      ),
    );
  }
  if (stale.length > 0) {
    flags.push(
      flag(
        "absent-with-position",
        "warning",
        `${stale.map(label).join(", ")} ${stale.length === 1 ? "is" : "are"} marked absent but still carry a position; check the state.`,
        stale,
      ),
    );
  }
  return flags;
}
