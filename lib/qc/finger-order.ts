/**
 * Finger order across the palm: the MCPs of index, middle, ring and pinky lie in that order across the
 * palm in any pose (they sit in the rigid palm), so their projections on the palm's cross axis must be
 * monotonic. A step backwards means two fingers' labels were swapped: a strong flag (DESIGN.md §4).
 *
 * The cross axis is perpendicular to wrist → MCP centroid; without a wrist, the line from the first to the
 * last labelled MCP. Direction is not assumed (that depends on handedness and view, see handedness.ts):
 * only that the sequence does not turn back. Needs at least three labelled MCPs.
 */
import type { THand } from "@/lib/hand/schema";
import { FINGER_NAMES, FINGERS, WRIST } from "@/lib/hand/skeleton";
import { flag, label, type TQualityFlag } from "./flag";
import { at, centroid, dot, handScale, MCPS, norm, sub, type Vec } from "./geometry";

/**
 * A backward step must exceed this fraction of the hand's size to count. Neighbouring MCPs are about
 * 0.2–0.26 hand sizes apart (template.ts), so a swap of adjacent fingers moves ≈ 0.2 backwards, while
 * click noise on a palm seen nearly edge-on (a fist from the side) stays well under 0.08.
 */
export const FINGER_ORDER_TOLERANCE = 0.08;

/**
 * The thumb's base sits low in the palm, near the wrist: its CMC about 0.2 (up to 0.5 in some datasets)
 * and its MCP about 0.4 of the way from the wrist to the knuckles. A thumb CMC beyond this fraction of the
 * knuckles' distance along the palm (or a thumb MCP beyond THUMB_MCP_MAX_ALONG) is a finger's chain
 * labelled as the thumb: the thumb and that finger were swapped.
 */
export const THUMB_CMC_MAX_ALONG = 0.75;
export const THUMB_MCP_MAX_ALONG = 1.1;

const fingerOf = (joint: number) => FINGER_NAMES.find((f) => FINGERS[f].includes(joint as never))!;

/** Thumb swapped with another finger: the thumb's base labelled up at the knuckles. */
function checkThumbBase(hand: THand, mcps: { j: number; p: Vec }[]): TQualityFlag[] {
  const wrist = at(hand, WRIST);
  if (!wrist || mcps.length < 2) return [];
  const along = sub(centroid(mcps.map((m) => m.p))!, wrist);
  const length = norm(along);
  if (length === 0) return [];
  const u = { x: along.x / length, y: along.y / length };
  const reach = mcps.map((m) => dot(sub(m.p, wrist), u)).sort((a, b) => a - b);
  const knuckles = reach[Math.floor(reach.length / 2)]!;
  const [cmc, mcp] = [FINGERS.thumb[0], FINGERS.thumb[1]];
  const base = at(hand, cmc) ? { j: cmc, max: THUMB_CMC_MAX_ALONG } : at(hand, mcp) ? { j: mcp, max: THUMB_MCP_MAX_ALONG } : null;
  if (!base || knuckles <= 0) return [];
  const p = at(hand, base.j)!;
  const ratio = dot(sub(p, wrist), u) / knuckles;
  if (ratio <= base.max) return [];
  // The finger whose knuckle the thumb's base now occupies is the likely partner; its own labels then sit low.
  const lowest = mcps.reduce((a, b) => (dot(sub(a.p, wrist), u) < dot(sub(b.p, wrist), u) ? a : b));
  const nearest = mcps.reduce((a, b) => (Math.hypot(a.p.x - p.x, a.p.y - p.y) < Math.hypot(b.p.x - p.x, b.p.y - p.y) ? a : b));
  const partner = dot(sub(lowest.p, wrist), u) < 0.6 * knuckles ? lowest : nearest;
  const finger = fingerOf(partner.j);
  return [
    flag(
      "finger-order",
      "strong",
      `Thumb and ${finger} look swapped: the ${label(base.j)} is up among the knuckles (${Math.round(100 * ratio)}% of the way ` +
        `from the wrist), where the thumb's base cannot be. Swap the thumb's and the ${finger}'s labels.`,
      [...FINGERS.thumb, ...FINGERS[finger]],
    ),
  ];
}

export function checkFingerOrder(hand: THand): TQualityFlag[] {
  const thumb = checkThumbBase(
    hand,
    MCPS.map((j) => ({ j, p: at(hand, j) })).filter((m): m is { j: number; p: Vec } => m.p !== null),
  );
  return [...thumb, ...checkKnuckleOrder(hand)];
}

function checkKnuckleOrder(hand: THand): TQualityFlag[] {
  const mcps = MCPS.map((j) => ({ j, p: at(hand, j) })).filter((m): m is { j: number; p: Vec } => m.p !== null);
  const scale = handScale(hand);
  if (mcps.length < 3 || !scale) return [];

  const wrist = at(hand, WRIST);
  const first = mcps[0]!.p;
  const last = mcps[mcps.length - 1]!.p;
  let axis: Vec;
  if (wrist) {
    const along = sub(centroid(mcps.map((m) => m.p))!, wrist);
    axis = { x: -along.y, y: along.x };
  } else {
    axis = sub(last, first);
  }
  const length = norm(axis);
  if (length === 0) return [];
  const u = { x: axis.x / length, y: axis.y / length };
  const pos = mcps.map((m) => dot(sub(m.p, first), u));

  const tolerance = FINGER_ORDER_TOLERANCE * scale;
  const span = pos[pos.length - 1]! - pos[0]!;
  // Palm edge-on (or index and pinky swapped onto each other): no direction to compare against.
  if (Math.abs(span) < tolerance) return [];
  const direction = Math.sign(span);

  const flags: TQualityFlag[] = [];
  for (let k = 1; k < mcps.length; k++) {
    const back = -direction * (pos[k]! - pos[k - 1]!);
    if (back > tolerance) {
      const a = mcps[k - 1]!.j;
      const b = mcps[k]!.j;
      flags.push(
        flag(
          "finger-order",
          "strong",
          `${cap(fingerOf(a))} and ${fingerOf(b)} look swapped: the ${label(a)} and ${label(b)} are out of order across the palm ` +
            `(index, middle, ring, pinky). Swap the two fingers' labels.`,
          [...FINGERS[fingerOf(a)], ...FINGERS[fingerOf(b)]],
        ),
      );
    }
  }
  return flags;
}

const cap = (word: string) => word[0]!.toUpperCase() + word.slice(1);
