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
import { expectedThumbSide, observedThumbSide } from "./handedness";
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
/** The thumb decides between two readings of the row when it is nearer the index end by this factor. */
export const THUMB_DECIDES = 0.7;

function checkThumbSwap(hand: THand): TQualityFlag[] {
  const cmc = at(hand, FINGERS.thumb[0]);
  const scale = handScale(hand);
  if (!cmc || !scale) return [];
  const mcp = (k: number) => at(hand, MCPS[k]!);
  let best: { k: number; score: number } | null = null;
  for (let k = 0; k < 4; k++) {
    const own = mcp(k);
    const [a, b] = k === 0 ? [mcp(1), mcp(2)] : k === 3 ? [mcp(2), mcp(1)] : [mcp(k - 1), mcp(k + 1)];
    if (!own || !a || !b) continue;
    const expected =
      k === 0 || k === 3 ? { x: 2 * a.x - b.x, y: 2 * a.y - b.y } : { x: (a.x + b.x) / 2, y: (a.y + b.y) / 2 };
    const off = Math.hypot(own.x - expected.x, own.y - expected.y);
    const thumbThere = Math.hypot(cmc.x - expected.x, cmc.y - expected.y);
    // The likeliest partner is the finger whose knuckle spot the thumb's CMC fills best, provided swapping
    // them back leaves the knuckles in order (else the row holds another mistake, e.g. two fingers swapped).
    if (off <= THUMB_SWAP_MIN_OFF * scale || thumbThere >= off / 2 || (best && thumbThere / off >= best.score))
      continue;
    if (knuckleSteps(swapChains(hand, "thumb", fingerOf(MCPS[k]!)))?.length !== 0) continue;
    best = { k, score: thumbThere / off };
  }
  if (!best) return [];
  const joint = MCPS[best.k]!;
  const finger = fingerOf(joint);
  return [
    flag(
      "finger-order",
      "strong",
      `Thumb and ${finger} look swapped: the thumb CMC is on the knuckle row where the ${label(joint)} belongs, ` +
        `and the ${label(joint)} down where the thumb's base is. Swap the thumb's and the ${finger}'s labels.`,
      [...FINGERS.thumb, ...FINGERS[finger]],
    ),
  ];
}

export function checkFingerOrder(hand: THand): TQualityFlag[] {
  // A thumb swapped into the row breaks the row's order as well: if swapping it back fixes everything, name that.
  const thumb = checkThumbSwap(hand);
  const row = checkKnuckleOrder(hand);
  if (thumb.length && row.length) {
    const thumbFix = rowResidual(swapChains(hand, "thumb", fingerOfFlag(thumb[0]!)));
    const rowFix = row[0]!.joints.length === 8 ? rowResidual(swapChains(hand, ...pairOfFlag(row[0]!))) : Infinity;
    return thumbFix <= rowFix ? thumb : row;
  }
  return thumb.length ? thumb : row;
}

/** How far the knuckles lie from where their neighbours put them, summed, in hand sizes (0: a regular row). */
function rowResidual(hand: THand): number {
  const scale = handScale(hand);
  if (!scale) return Infinity;
  const mcp = (k: number) => at(hand, MCPS[k]!);
  let sum = 0;
  for (let k = 0; k < 4; k++) {
    const own = mcp(k);
    const [a, b] = k === 0 ? [mcp(1), mcp(2)] : k === 3 ? [mcp(2), mcp(1)] : [mcp(k - 1), mcp(k + 1)];
    if (!own || !a || !b) continue;
    const expected =
      k === 0 || k === 3 ? { x: 2 * a.x - b.x, y: 2 * a.y - b.y } : { x: (a.x + b.x) / 2, y: (a.y + b.y) / 2 };
    sum += Math.hypot(own.x - expected.x, own.y - expected.y) / scale;
  }
  return sum;
}

const fingerOfFlag = (f: TQualityFlag) => fingerOf(f.joints[4]!);
const pairOfFlag = (f: TQualityFlag): [FingerName, FingerName] => [fingerOf(f.joints[0]!), fingerOf(f.joints[4]!)];

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
  FINGERS[f].forEach(
    (j, k) => ([keypoints[j], keypoints[FINGERS[g][k]!]] = [hand.keypoints[FINGERS[g][k]!]!, hand.keypoints[j]!]),
  );
  return { ...hand, keypoints };
}

const PAIRS = (["index", "middle", "ring", "pinky"] as const).flatMap((f, i, all) =>
  all.slice(i + 1).map((g) => [f, g] as const),
);

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
  // With the side and the view set, the thumb's side of the palm is known: the fix must agree with it.
  const expected = expectedThumbSide(hand.handedness, hand.view);
  const sideOk = (pair: readonly [FingerName, FingerName]) =>
    expected !== null && observedThumbSide(swapChains(hand, ...pair))?.side === expected;
  // Otherwise the thumb itself, on the index side, when it is clearly nearer one end of the row.
  const thumb = at(hand, FINGERS.thumb[0]) ?? at(hand, FINGERS.thumb[1]);
  const thumbLean = (pair: readonly [FingerName, FingerName]) => {
    const swapped = swapChains(hand, ...pair);
    const [index, pinky] = [at(swapped, FINGERS.index[0]), at(swapped, FINGERS.pinky[0])];
    if (!thumb || !index || !pinky) return 1;
    return (
      Math.hypot(thumb.x - index.x, thumb.y - index.y) /
      Math.max(1e-9, Math.hypot(thumb.x - pinky.x, thumb.y - pinky.y))
    );
  };
  const gap = ([f, g]: readonly [FingerName, FingerName]) => FINGER_NAMES.indexOf(g) - FINGER_NAMES.indexOf(f);
  const ranked = [...fixes].sort(
    (x, y) => Number(sideOk(y)) - Number(sideOk(x)) || thumbLean(x) - thumbLean(y) || gap(x) - gap(y),
  );
  const best = ranked[0];
  if (best) {
    const [f, g] = best;
    // Undecided between a swap and its mirror reading (no view, thumb not clearly on one side): name both.
    const mirror = ranked[1];
    const decided = !mirror || sideOk(best) !== sideOk(mirror) || thumbLean(best) < THUMB_DECIDES * thumbLean(mirror);
    const alternative = decided
      ? ""
      : ` (or ${mirror[0]} and ${mirror[1]}: without the view the row reads correctly both ways — set the view, or check which side the thumb is on)`;
    return [
      flag(
        "finger-order",
        "strong",
        `${cap(f)} and ${g} look swapped${alternative}: their knuckles (${label(FINGERS[f][0])}, ${label(FINGERS[g][0])}) are out of ` +
          `order across the palm (index, middle, ring, pinky), and exchanging the two fingers' labels puts them back in order.`,
        decided
          ? [...FINGERS[f], ...FINGERS[g]]
          : [...new Set([...FINGERS[f], ...FINGERS[g], ...FINGERS[mirror[0]], ...FINGERS[mirror[1]]])],
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
