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
import { FINGER_NAMES, FINGERS, WRIST, type FingerName } from "@/lib/hand/skeleton";
import { flag, label, type TQualityFlag } from "./flag";
import { at, centroid, dot, handScale, MCPS, norm, sub, type Vec } from "./geometry";

/**
 * A backward step must exceed this fraction of the hand's size to count. Neighbouring MCPs are about
 * 0.2–0.26 hand sizes apart (template.ts), so a swap of adjacent fingers moves ≈ 0.2 backwards, while
 * click noise on a palm seen nearly edge-on (a fist from the side) stays well under 0.08.
 */
export const FINGER_ORDER_TOLERANCE = 0.08;

const fingerOf = (joint: number) => FINGER_NAMES.find((f) => FINGERS[f].includes(joint as never))!;

/**
 * Thumb swapped with a finger: the thumb's CMC sits on the knuckle row, right where that finger's MCP
 * belongs (between its neighbours' knuckles), while that finger's MCP label is off the row, down at the
 * thumb's base. Needs the CMC and two neighbouring knuckles of the finger.
 */
export const THUMB_SWAP_MIN_OFF = 0.15;

function checkThumbSwap(hand: THand): TQualityFlag[] {
  const cmc = at(hand, FINGERS.thumb[0]);
  const scale = handScale(hand);
  if (!cmc || !scale) return [];
  const mcp = (k: number) => at(hand, MCPS[k]!);
  for (let k = 0; k < 4; k++) {
    const own = mcp(k);
    const [a, b] = k === 0 ? [mcp(1), mcp(2)] : k === 3 ? [mcp(2), mcp(1)] : [mcp(k - 1), mcp(k + 1)];
    if (!own || !a || !b) continue;
    const expected = k === 0 || k === 3 ? { x: 2 * a.x - b.x, y: 2 * a.y - b.y } : { x: (a.x + b.x) / 2, y: (a.y + b.y) / 2 };
    const off = Math.hypot(own.x - expected.x, own.y - expected.y);
    const thumbThere = Math.hypot(cmc.x - expected.x, cmc.y - expected.y);
    if (off > THUMB_SWAP_MIN_OFF * scale && thumbThere < off / 2) {
      const finger = fingerOf(MCPS[k]!);
      return [
        flag(
          "finger-order",
          "strong",
          `Thumb and ${finger} look swapped: the thumb CMC is on the knuckle row where the ${label(MCPS[k]!)} belongs, ` +
            `and the ${label(MCPS[k]!)} down where the thumb's base is. Swap the thumb's and the ${finger}'s labels.`,
          [...FINGERS.thumb, ...FINGERS[finger]],
        ),
      ];
    }
  }
  return [];
}

export function checkFingerOrder(hand: THand): TQualityFlag[] {
  return [...checkThumbSwap(hand), ...checkKnuckleOrder(hand)];
}

type TStep = { a: number; b: number };

/** The backward steps across the palm (pairs of consecutive labelled MCPs out of order); null when unreadable. */
function knuckleSteps(hand: THand): TStep[] | null {
  const mcps = MCPS.map((j) => ({ j, p: at(hand, j) })).filter((m): m is { j: number; p: Vec } => m.p !== null);
  const scale = handScale(hand);
  if (mcps.length < 3 || !scale) return null;

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
  if (length === 0) return null;
  const u = { x: axis.x / length, y: axis.y / length };
  const pos = mcps.map((m) => dot(sub(m.p, first), u));

  const tolerance = FINGER_ORDER_TOLERANCE * scale;
  const span = pos[pos.length - 1]! - pos[0]!;
  // Palm edge-on (or index and pinky swapped onto each other): no direction to compare against.
  if (Math.abs(span) < tolerance) return null;
  const direction = Math.sign(span);
  const steps: TStep[] = [];
  for (let k = 1; k < mcps.length; k++) {
    if (-direction * (pos[k]! - pos[k - 1]!) > tolerance) steps.push({ a: mcps[k - 1]!.j, b: mcps[k]!.j });
  }
  return steps;
}

/** Whether the knuckles are out of order across the palm (other checks then leave the knuckles to this one). */
export function knuckleOrderBroken(hand: THand): boolean {
  return (knuckleSteps(hand)?.length ?? 0) > 0;
}

function swapChains(hand: THand, f: FingerName, g: FingerName): THand {
  const keypoints = [...hand.keypoints];
  FINGERS[f].forEach((j, k) => ([keypoints[j], keypoints[FINGERS[g][k]!]] = [hand.keypoints[FINGERS[g][k]!]!, hand.keypoints[j]!]));
  return { ...hand, keypoints };
}

const PAIRS = (["index", "middle", "ring", "pinky"] as const).flatMap((f, i, all) => all.slice(i + 1).map((g) => [f, g] as const));

/**
 * Knuckles out of order. The flag names the one swap of two fingers that puts them back in order
 * ("index and ring look swapped"), so a reviewer fixes it in one step; when no single swap does, each
 * backward step is named instead.
 */
function checkKnuckleOrder(hand: THand): TQualityFlag[] {
  const steps = knuckleSteps(hand);
  if (!steps?.length) return [];
  // A row can also be put in order by mirroring it (index↔pinky and middle↔ring both fix [index, ring, middle,
  // pinky] read backwards): the thumb, on the index side of the palm, decides; without it the smaller swap wins.
  const fixes = PAIRS.filter(([f, g]) => knuckleSteps(swapChains(hand, f, g))?.length === 0);
  const thumb = at(hand, FINGERS.thumb[0]) ?? at(hand, FINGERS.thumb[1]) ?? at(hand, FINGERS.thumb[2]);
  const thumbSideOk = ([f, g]: readonly [FingerName, FingerName]) => {
    const swapped = swapChains(hand, f, g);
    const [index, pinky] = [at(swapped, FINGERS.index[0]), at(swapped, FINGERS.pinky[0])];
    return !thumb || !index || !pinky || Math.hypot(thumb.x - index.x, thumb.y - index.y) < Math.hypot(thumb.x - pinky.x, thumb.y - pinky.y);
  };
  const gap = ([f, g]: readonly [FingerName, FingerName]) => FINGER_NAMES.indexOf(g) - FINGER_NAMES.indexOf(f);
  const best = [...fixes].sort((x, y) => Number(thumbSideOk(y)) - Number(thumbSideOk(x)) || gap(x) - gap(y))[0];
  if (best) {
    const [f, g] = best;
    return [
      flag(
        "finger-order",
        "strong",
        `${cap(f)} and ${g} look swapped: their knuckles (${label(FINGERS[f][0])}, ${label(FINGERS[g][0])}) are out of order across ` +
          `the palm (index, middle, ring, pinky), and exchanging the two fingers' labels puts them back in order.`,
        [...FINGERS[f], ...FINGERS[g]],
      ),
    ];
  }
  return steps.map(({ a, b }) =>
    flag(
      "finger-order",
      "strong",
      `Fingers out of order: the ${label(a)} and ${label(b)} are the wrong way round across the palm (index, middle, ring, ` +
        `pinky). Check which finger each chain belongs to.`,
      [...FINGERS[fingerOf(a)], ...FINGERS[fingerOf(b)]],
    ),
  );
}

const cap = (word: string) => word[0]!.toUpperCase() + word.slice(1);
