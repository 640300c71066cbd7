/**
 * Phalanx lengths far outside human anatomy (DESIGN.md §4: proximal : middle : distal ≈
 * 1 : 0.56–0.62 : 0.39–0.49). Photos foreshorten bones, so a bone may look arbitrarily SHORT and
 * nothing is flagged for that; only a bone looking far too LONG next to its neighbour is suspicious —
 * typically a tip clicked on the wrong finger or a joint skipped. Warning only: a proximal phalanx
 * pointing at the camera can legitimately make the next bone look several times longer.
 *
 * For the thumb the same rule is applied to its MCP→IP (proximal) and IP→tip (distal) bones;
 * the thumb has no middle phalanx, so its "middle over proximal" test is skipped.
 */
import type { THand } from "@/lib/hand/schema";
import { FINGER_NAMES, FINGERS } from "@/lib/hand/skeleton";
import { flag, type TQualityFlag } from "./flag";
import { at, dist, handScale } from "./geometry";

/** Distal longer than this × proximal (anatomy ≈ 0.45: four times the expected ratio). */
export const MAX_DISTAL_OVER_PROXIMAL = 2;
/** Middle longer than this × proximal (anatomy ≈ 0.6: five times the expected ratio). */
export const MAX_MIDDLE_OVER_PROXIMAL = 3;
/** Distal longer than this × middle (anatomy ≈ 0.75: four times the expected ratio). */
export const MAX_DISTAL_OVER_MIDDLE = 3;
/**
 * The long bone must also be at least this fraction of the hand's size (a real distal phalanx is ≈ 0.2,
 * a middle one ≈ 0.27): below it the "long" bone is within its own anatomy and the ratio only reflects a
 * foreshortened neighbour (a fist seen from the back: proximal phalanges pointing at the camera).
 */
export const MIN_LONG_BONE = 0.4;

export function checkPhalanxRatios(hand: THand): TQualityFlag[] {
  const scale = handScale(hand);
  if (!scale) return [];
  const flags: TQualityFlag[] = [];
  const length = (a: number, b: number) => {
    const p = at(hand, a);
    const q = at(hand, b);
    return p && q ? dist(p, q) : null;
  };

  for (const finger of FINGER_NAMES) {
    const [base, j1, j2, tip] = FINGERS[finger];
    const thumb = finger === "thumb";
    // Thumb: proximal = MCP→IP, distal = IP→tip; fingers: proximal MCP→PIP, middle PIP→DIP, distal DIP→tip.
    const proximal = thumb ? length(j1, j2) : length(base, j1);
    const middle = thumb ? null : length(j1, j2);
    const distal = length(j2, tip);
    const tests: [string, number | null, string, number | null, number, number[]][] = [
      ["distal", distal, "proximal", proximal, MAX_DISTAL_OVER_PROXIMAL, thumb ? [j1, j2, tip] : [base, j1, j2, tip]],
      ["middle", middle, "proximal", proximal, MAX_MIDDLE_OVER_PROXIMAL, [base, j1, j2]],
      ["distal", distal, "middle", middle, MAX_DISTAL_OVER_MIDDLE, [j1, j2, tip]],
    ];
    for (const [name, long, against, short, max, joints] of tests) {
      if (long === null || short === null || long < MIN_LONG_BONE * scale) continue;
      if (long > max * short) {
        flags.push(
          flag(
            "phalanx-ratio",
            "warning",
            `The ${finger}'s ${name} segment is ${(long / Math.max(short, 1e-9)).toFixed(1)}× its ${against} segment ` +
              `(real fingers: under 1×). Check that its joints are on the right finger.`,
            joints,
          ),
        );
        break; // one ratio flag per finger is enough to send a reviewer there
      }
    }
  }
  return flags;
}
