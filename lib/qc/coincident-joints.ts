/**
 * Two joints on one spot (DESIGN.md §4 strong signal): usually a double click, or a joint dropped onto
 * another while dragging. Absent joints (x = y = 0) never count.
 *
 * Severity: strong, except for the two ways real hands put two joints on one spot:
 *  - two fingertips (a pinch brings two tips together): warning, unless a bone to one of them is stretched
 *    beyond COINCIDE_STRETCH × its length (that tip left its finger: dropped there);
 *  - the two ends of one finger bone (a phalanx pointing straight at the camera shrinks to a dot): warning,
 *    unless both are `visible` — then the nearer one would hide the other. Not a bone from the wrist: the
 *    palm is rigid, one metacarpal cannot point at the camera while the others do not.
 * Any two joints closer than COINCIDE_STRONG_FRACTION that are not one finger bone's ends nor two tips: strong.
 * Any other pair is strong when both are `visible`, when one is the wrist (nothing folds onto the wrist),
 * or when one of the two has left its own finger — a bone to it stretched beyond COINCIDE_STRETCH × its
 * length (bone-lengths.ts): dropped there. Otherwise (an `occluded` joint hidden right behind another,
 * as imported labels often mark every joint) a warning.
 */
import type { THand } from "@/lib/hand/schema";
import { BONES, FINGERTIPS, JOINT_COUNT, WRIST } from "@/lib/hand/skeleton";
import { flag, label, type TQualityFlag } from "./flag";
import { at, dist, handScale, type Vec } from "./geometry";
import { boneStretch } from "./bone-lengths";

/**
 * Closer than this fraction of the hand's size (wrist→middle MCP ≈ 9 cm on an adult, so ≈ 1.8 mm) is
 * "one spot": less than a joint's own width. A double click lands well under it; the closest pair in
 * the real sample hands (a curled FreiHAND hand, index tip just behind the middle DIP) is 0.036.
 */
export const COINCIDE_FRACTION = 0.02;
/**
 * Closer than this (≈ 0.3 mm on an adult hand; no pixel floor) is the very same spot — a double click, or a
 * joint dropped exactly onto another — not two joints that happen to be near: strong for any two joints that
 * are not the ends of one finger bone nor two fingertips (a pinch), whatever their states. Set well
 * below what click noise does to the closest real pair (a curled FreiHAND index tip 0.036 from the middle
 * DIP, on a 65 px hand): with 2% click noise, 1% flagged 2 of 60 noisy real copies, 0.5% one, 0.3% none.
 * A by-eye drop a few pixels off the other joint is left to the warning (COINCIDE_FRACTION).
 */
export const COINCIDE_STRONG_FRACTION = 0.003;
/** Never less than this many pixels, so that sub-pixel rounding on tiny hands does not decide. */
export const COINCIDE_MIN_PX = 1;
/** A joint whose bone is stretched beyond this × its yardstick has left its finger (bone-lengths.ts). */
export const COINCIDE_STRETCH = 1.3;

const TIPS = new Set<number>(FINGERTIPS);
const isFingerBone = (i: number, j: number) =>
  i !== WRIST && j !== WRIST && BONES.some(([a, b]) => (a === i && b === j) || (a === j && b === i));

export function checkCoincidentJoints(hand: THand): TQualityFlag[] {
  const scale = handScale(hand);
  if (!scale) return [];
  const limit = Math.max(COINCIDE_MIN_PX, COINCIDE_FRACTION * scale);
  const strongLimit = COINCIDE_STRONG_FRACTION * scale;
  const pts: (Vec | null)[] = Array.from({ length: JOINT_COUNT }, (_, i) => at(hand, i));
  const flags: TQualityFlag[] = [];
  const stretch = boneStretch(hand);
  const leftItsFinger = (j: number) =>
    BONES.some(([a, b], k) => (a === j || b === j) && (stretch[k] ?? 0) > COINCIDE_STRETCH);
  for (let i = 0; i < JOINT_COUNT; i++) {
    const p = pts[i];
    if (!p) continue;
    for (let j = i + 1; j < JOINT_COUNT; j++) {
      const q = pts[j];
      if (!q || dist(p, q) >= limit) continue;
      const bothVisible = hand.keypoints[i]!.state === "visible" && hand.keypoints[j]!.state === "visible";
      const pinch = TIPS.has(i) && TIPS.has(j);
      const sameBone = isFingerBone(i, j);
      const dropped = i === WRIST || leftItsFinger(i) || leftItsFinger(j) || (bothVisible && !sameBone);
      const onTop = dist(p, q) < strongLimit && !sameBone && !pinch;
      // Two tips together are a pinch unless one of them has left its finger (its bone stretched): dropped there.
      const strong = pinch ? leftItsFinger(i) || leftItsFinger(j) : dropped || onTop;
      flags.push(
        flag(
          "joints-coincide",
          strong ? "strong" : "warning",
          `The ${label(i)} and the ${label(j)} are on one spot (${dist(p, q).toFixed(1)} px apart); ` +
            `one of them was probably placed twice or dropped there.`,
          [i, j],
        ),
      );
    }
  }
  return flags;
}
