/**
 * Left/right consistency: given the view, the thumb side of the palm tells a right hand from a left one.
 * COCO's human outliers were mostly left/right mistakes (DESIGN.md §4), so this is a strong flag.
 *
 * Geometry: `along` runs from the wrist to the centroid of the labelled MCPs, `across` from the most
 * index-side labelled MCP to the most pinky-side one. The thumb lies opposite the pinky, so the thumb is
 * on the clockwise-on-screen side of `along` exactly when cross(along, across) < 0. Same convention as
 * lib/annotate/template.ts: seen from the palm with the fingers up a right thumb is on the image's right,
 * from the back on the left; a left hand is the mirror image. The MCPs sit in the rigid palm, so this
 * holds whatever the fingers do. With fewer than two MCPs the thumb's CMC (or MCP) is used instead.
 */
import type { THand, THandedness, THandView } from "@/lib/hand/schema";
import { FINGERS, WRIST } from "@/lib/hand/skeleton";
import { flag, type TQualityFlag } from "./flag";
import { at, centroid, cross, handScale, MCPS, norm, sub, type Vec } from "./geometry";

/**
 * The palm must be at least this wide across `along`, as a fraction of the hand's size, for its sides to
 * be told apart: an open palm facing the camera is ≈ 0.6–0.7 wide (index→pinky MCP), one turned ~75°
 * away still ≈ 0.17. Narrower, the palm is seen edge-on (view "side" in all but name) and a few pixels of
 * click noise would decide the sign, so the check stays silent. The thumb fallback uses the same bar.
 */
export const MIN_PALM_WIDTH = 0.15;

/** +1: the thumb is on the image's right when the fingers point up; -1: on the left. */
export function expectedThumbSide(handedness: THandedness, view: THandView | null): 1 | -1 | null {
  if (handedness === "unknown" || (view !== "palm" && view !== "back")) return null;
  return (handedness === "right") !== (view === "back") ? 1 : -1;
}

/** Which side the labels put the thumb on (+1 right, -1 left, fingers up), with the joints used; null when unclear. */
export function observedThumbSide(hand: THand): { side: 1 | -1; joints: number[] } | null {
  const wrist = at(hand, WRIST);
  if (!wrist) return null;
  const mcps = MCPS.map((j) => ({ j, p: at(hand, j) })).filter((m): m is { j: number; p: Vec } => m.p !== null);
  const base = centroid(mcps.map((m) => m.p));
  if (!base) return null;
  const along = sub(base, wrist);
  const scale = handScale(hand);
  if (!scale || norm(along) === 0) return null;
  // Signed distance of `v` from the palm's axis, positive on the image's right when the fingers point up.
  const offAxis = (v: Vec) => cross(along, v) / norm(along);

  if (mcps.length >= 2) {
    const first = mcps[0]!;
    const last = mcps[mcps.length - 1]!;
    const width = offAxis(sub(last.p, first.p)); // index side → pinky side
    if (Math.abs(width) < MIN_PALM_WIDTH * scale) return null;
    return { side: width < 0 ? 1 : -1, joints: [WRIST, ...mcps.map((m) => m.j)] };
  }
  // Fallback: the thumb's base points away from the palm's axis towards the thumb side.
  for (const j of [FINGERS.thumb[0], FINGERS.thumb[1]]) {
    const thumb = at(hand, j);
    if (!thumb) continue;
    const offset = offAxis(sub(thumb, wrist));
    if (Math.abs(offset) < MIN_PALM_WIDTH * scale) return null;
    return { side: offset > 0 ? 1 : -1, joints: [WRIST, mcps[0]!.j, j] };
  }
  return null;
}

export function checkHandedness(hand: THand): TQualityFlag[] {
  const expected = expectedThumbSide(hand.handedness, hand.view);
  if (expected === null) return [];
  const observed = observedThumbSide(hand);
  if (!observed || observed.side === expected) return [];
  const sideName = (s: number) => (s > 0 ? "right" : "left");
  return [
    flag(
      "handedness-mismatch",
      "strong",
      `Left/right looks swapped: seen from the ${hand.view}, a ${hand.handedness} hand has its thumb on the image's ` +
        `${sideName(expected)} (fingers pointing up), but these knuckles put it on the ${sideName(observed.side)}. ` +
        `Check the handedness, the view, and whether index and pinky were swapped.`,
      observed.joints,
    ),
  ];
}
