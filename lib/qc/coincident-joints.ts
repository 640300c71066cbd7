/**
 * Two joints on one spot (DESIGN.md §4 strong signal): usually a double click, or a joint dropped onto
 * another while dragging. Absent joints (x = y = 0) never count.
 *
 * Severity: strong when both are `visible` — two distinct visible joints cannot share a pixel, since the
 * nearer one would hide the other. Warning when either is `occluded` (a joint hidden right behind another
 * one projects onto it) or when both are fingertips (a pinch brings two tips together).
 */
import type { THand } from "@/lib/hand/schema";
import { FINGERTIPS, JOINT_COUNT } from "@/lib/hand/skeleton";
import { flag, label, type TQualityFlag } from "./flag";
import { at, dist, handScale, type Vec } from "./geometry";

/**
 * Closer than this fraction of the hand's size (wrist→middle MCP ≈ 9 cm on an adult, so ≈ 1.8 mm) is
 * "one spot": less than a joint's own width. A double click lands well under it; the closest pair in
 * the real sample hands (a curled FreiHAND hand, index tip just behind the middle DIP) is 0.036.
 */
export const COINCIDE_FRACTION = 0.02;
/** Never less than this many pixels, so that sub-pixel rounding on tiny hands does not decide. */
export const COINCIDE_MIN_PX = 1;

const TIPS = new Set<number>(FINGERTIPS);

export function checkCoincidentJoints(hand: THand): TQualityFlag[] {
  const scale = handScale(hand);
  if (!scale) return [];
  const limit = Math.max(COINCIDE_MIN_PX, COINCIDE_FRACTION * scale);
  const pts: (Vec | null)[] = Array.from({ length: JOINT_COUNT }, (_, i) => at(hand, i));
  const flags: TQualityFlag[] = [];
  for (let i = 0; i < JOINT_COUNT; i++) {
    const p = pts[i];
    if (!p) continue;
    for (let j = i + 1; j < JOINT_COUNT; j++) {
      const q = pts[j];
      if (!q || dist(p, q) >= limit) continue;
      const bothVisible = hand.keypoints[i]!.state === "visible" && hand.keypoints[j]!.state === "visible";
      const pinch = TIPS.has(i) && TIPS.has(j);
      flags.push(
        flag(
          "joints-coincide",
          bothVisible && !pinch ? "strong" : "warning",
          `The ${label(i)} and the ${label(j)} are on one spot (${dist(p, q).toFixed(1)} px apart); ` +
            `one of them was probably placed twice or dropped there.`,
          [i, j],
        ),
      );
    }
  }
  return flags;
}
