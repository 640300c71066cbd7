/**
 * A finger chain folding back on itself (DESIGN.md §4).
 *
 * Why two tests: a finger from its base joint to its tip bends only at hinge joints with parallel axes,
 * so it lies in one plane, and with flexion at most 90° / 110° / 90° it never crosses itself. A camera maps
 * a plane to the image by a projective map, which preserves whether two segments cross — so a finger whose
 * base bone crosses its tip bone in the image is impossible: strong, when both bones are clearly drawn.
 * A sharp turn between consecutive bones is only suspicious: a 110° flexion seen nearly edge-on can look
 * like a full reversal, but then the distal bone appears strongly shortened; so it is a warning, and only
 * when both bones keep a fair length.
 * Not flagged: a fingertip pointing back towards the wrist — a fist does exactly that.
 */
import type { THand } from "@/lib/hand/schema";
import { FINGER_NAMES, FINGERS, WRIST } from "@/lib/hand/skeleton";
import { flag, label, type TQualityFlag } from "./flag";
import { angleDeg, at, dist, handScale, segmentsCross, sub } from "./geometry";

/** Turn between consecutive bones beyond which a finger "reverses" (0° = straight on, 180° = straight back). */
export const FOLD_TURN_DEG = 150;
/**
 * Both bones of a reversal must be at least this fraction of the hand's size (a phalanx is ≈ 0.2–0.45),
 * since a bone pointing at the camera shrinks to a stub whose direction is noise.
 */
export const FOLD_MIN_BONE = 0.1;
/** Crossing bones must each be at least this fraction of the hand's size for the crossing to be strong. */
export const CROSS_STRONG_MIN_BONE = 0.15;

export function checkFolding(hand: THand): TQualityFlag[] {
  const scale = handScale(hand);
  if (!scale) return [];
  const flags: TQualityFlag[] = [];

  for (const finger of FINGER_NAMES) {
    const chain = [WRIST, ...FINGERS[finger]];
    const pts = chain.map((j) => at(hand, j));

    // Sharp reversal between consecutive bones (wrist→base, then along the finger).
    for (let k = 0; k + 2 < chain.length; k++) {
      const [a, b, c] = [pts[k], pts[k + 1], pts[k + 2]];
      if (!a || !b || !c) continue;
      const l1 = dist(a, b);
      const l2 = dist(b, c);
      if (Math.min(l1, l2) < FOLD_MIN_BONE * scale) continue;
      const turn = angleDeg(sub(b, a), sub(c, b));
      if (turn !== null && turn > FOLD_TURN_DEG) {
        flags.push(
          flag(
            "finger-folded",
            "warning",
            `The ${finger} turns back on itself at the ${label(chain[k + 1]!)} (${Math.round(turn)}° turn); ` +
              `check the order of its joints.`,
            [chain[k]!, chain[k + 1]!, chain[k + 2]!],
          ),
        );
      }
    }

    // Base bone crossing tip bone of the same finger.
    const [base, j1, j2, tip] = FINGERS[finger].map((j) => at(hand, j));
    if (base && j1 && j2 && tip && segmentsCross(base, j1, j2, tip)) {
      const clear = Math.min(dist(base, j1), dist(j2, tip)) >= CROSS_STRONG_MIN_BONE * scale;
      flags.push(
        flag(
          "finger-folded",
          clear ? "strong" : "warning",
          `The ${finger}'s tip bone crosses its base bone, which a real finger cannot do; ` +
            `two of its joints are probably swapped or belong to another finger.`,
          [...FINGERS[finger]],
        ),
      );
    }
  }
  return flags;
}
