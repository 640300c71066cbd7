/**
 * A hand labelled twice in one image: another hand whose joints sit on this hand's joints.
 * Strong when both hands claim the same side (one person has one right hand); a warning when the sides
 * differ or are unknown — palms pressed together and seen edge-on really do put a left and a right
 * hand's joints on top of each other.
 */
import type { THand } from "@/lib/hand/schema";
import { JOINT_COUNT } from "@/lib/hand/skeleton";
import { flag, type TQualityFlag } from "./flag";
import { at, dist, handScale } from "./geometry";

/** Median distance between same-named joints below this fraction of the hand's size means "the same hand". */
export const DUPLICATE_FRACTION = 0.1;
/** Joints placed in both hands needed before comparing at all. */
export const DUPLICATE_MIN_COMMON = 4;

export function checkDuplicateHand(hand: THand, otherHands: readonly THand[] = []): TQualityFlag[] {
  const scale = handScale(hand);
  if (!scale) return [];
  const flags: TQualityFlag[] = [];
  otherHands.forEach((other, index) => {
    if (other === hand) return;
    const distances: number[] = [];
    const joints: number[] = [];
    for (let j = 0; j < JOINT_COUNT; j++) {
      const p = at(hand, j);
      const q = at(other, j);
      if (!p || !q) continue;
      distances.push(dist(p, q));
      joints.push(j);
    }
    if (distances.length < DUPLICATE_MIN_COMMON) return;
    distances.sort((a, b) => a - b);
    const median = distances[Math.floor(distances.length / 2)]!;
    if (median >= DUPLICATE_FRACTION * scale) return;
    const sameSide = hand.handedness !== "unknown" && hand.handedness === other.handedness;
    flags.push(
      flag(
        "duplicate-hand",
        sameSide ? "strong" : "warning",
        `This hand lies on top of another labelled hand (#${index + 1}, median ${median.toFixed(1)} px apart): ` +
          `the same hand may have been labelled twice.`,
        joints,
      ),
    );
  });
  return flags;
}
