/**
 * Joints far from where the pose model put them, where its prediction is stored (model-assisted labelling).
 * A fingertip slipped along its own bone changes nothing the geometry can call wrong — a flexed or
 * foreshortened finger looks the same — but the model saw the photo and says where the tip is.
 *
 * The model is not the truth: annotators move its joints precisely where it was wrong, and a correction must
 * not block the work. So a disagreement on its own is a warning; joint-consistency.ts counts it as one cue, so
 * that it turns strong only with a second, geometric, cue on the same joint. A joint disagrees when its offset
 * from the model's landmark, less its skeleton neighbours' mean offset, is more than MODEL_OFF_BONE of its bone
 * (as the model drew it) and more than MODEL_OFF_TYPICAL times that residual's median over the whole hand: the
 * real network's errors are local and correlated (a finger or the knuckle row read shifted as a whole; on the
 * sample photos 0.1–0.5 bone at the median, up to 2 bones), a slipped joint moves alone — so on a hand the model
 * read loosely, only the joints that stand out from their neighbours are named.
 */
import type { THand } from "@/lib/hand/schema";
import { BONES, FINGERS, JOINT_COUNT, WRIST } from "@/lib/hand/skeleton";
import { boneOf } from "./bone-lengths";
import { flag, label, type TQualityFlag } from "./flag";
import { at, dist, handScale, MCPS, type Vec } from "./geometry";
import { matchModelHand } from "./handedness-signals";
import type { TModelHand } from "./run-checks";

/** A joint this many of its bone lengths (as the model drew the bone) from the model's landmark disagrees. */
export const MODEL_OFF_BONE = 0.4;
/** … and this many times the hand's median label-to-model distance. */
export const MODEL_OFF_TYPICAL = 3;
/** The model must share at least this many placed joints with the hand for its typical distance to mean anything. */
const MIN_SHARED = 8;

/**
 * Joints whose spot differs between labelling conventions more than between careful annotators: the wrist (a
 * crease, or the joint centre) and the thumb's CMC (deep in the palm). The network, trained on its own
 * convention, sat 0.5–1 bone away from the sample photos' labels there on correct hands; the geometric checks
 * alone judge them (the model added no recall there in bench/qc.ts).
 */
export const CONVENTION_JOINTS: ReadonlySet<number> = new Set([WRIST, FINGERS.thumb[0]]);

/** Each joint's neighbours: along the skeleton, and for a knuckle the knuckles beside it (the palm moves as one). */
const NEIGHBOURS: number[][] = Array.from({ length: JOINT_COUNT }, (_, j) => {
  const around = new Set<number>();
  for (const [a, b] of BONES) {
    if (a === j) around.add(b);
    if (b === j) around.add(a);
  }
  const row = (MCPS as readonly number[]).indexOf(j);
  if (row > 0) around.add(MCPS[row - 1]!);
  if (row >= 0 && row < MCPS.length - 1) around.add(MCPS[row + 1]!);
  return [...around];
});

/**
 * Per joint: its offset from the model hand's landmark less its skeleton neighbours' mean offset (px), null where
 * the joint, its landmark or every neighbour's is missing. The network's errors are local and correlated (a finger
 * or the knuckle row read shifted as a whole), a slipped joint moves alone. bench/qc.ts measures the check's
 * separability with it.
 */
export function modelResiduals(hand: THand, seen: TModelHand): (number | null)[] {
  const offset = Array.from({ length: JOINT_COUNT }, (_, j) => {
    const [p, q] = [at(hand, j), seen.keypoints[j]];
    return p && q && q.state !== "absent" ? { x: p.x - q.x, y: p.y - q.y } : null;
  });
  return offset.map((o, j) => {
    const around = NEIGHBOURS[j]!.flatMap((k) => offset[k] ?? []);
    if (!o || around.length === 0) return null;
    const mean = { x: around.reduce((a, v) => a + v.x, 0), y: around.reduce((a, v) => a + v.y, 0) };
    return Math.hypot(o.x - mean.x / around.length, o.y - mean.y / around.length);
  });
}

/** Per joint: true where the label disagrees with the matching model hand, false where it agrees, null where unknown. */
export function jointsOffModel(hand: THand, model: readonly TModelHand[] = []): (boolean | null)[] {
  const none = Array.from({ length: JOINT_COUNT }, () => null);
  if (model.length === 0) return none;
  const scale = handScale(hand);
  const seen = scale ? matchModelHand(hand, model, scale) : null;
  // The network run at submit answers left/right only: its joints stray from careful labels by ~0.1–0.5 of a
  // bone at the median and up to 2 bones (bench/qc.ts), too far to judge one joint by.
  if (!seen || seen.via === "network") return none;
  const modelAt = (j: number): Vec | null => {
    const q = seen.keypoints[j];
    return q && q.state !== "absent" ? { x: q.x, y: q.y } : null;
  };
  const distance = modelResiduals(hand, seen);
  const neighbours = NEIGHBOURS.map((around) => around.filter((k) => at(hand, k) && modelAt(k)));
  const shared = distance.filter((d): d is number => d !== null).sort((a, b) => a - b);
  if (shared.length < MIN_SHARED) return none;
  const typical = shared[Math.floor(shared.length / 2)]!;
  const off = distance.map((d, j) => {
    const [a, b] = boneOf(j).map(modelAt);
    if (d === null || !a || !b || CONVENTION_JOINTS.has(j)) return null;
    return d > MODEL_OFF_BONE * dist(a, b) && d > MODEL_OFF_TYPICAL * typical;
  });
  // A slipped joint shifts its neighbours' residuals too — by its own over their neighbour count, so a fingertip
  // beyond a moved DIP as much as the DIP. Of two neighbours that both disagree, the one that stands out more is
  // named; at about the same residual (within TIE), the one with more neighbours.
  const TIE = 0.2;
  const beats = (k: number, j: number) =>
    off[k] === true &&
    (distance[k]! > (1 + TIE) * distance[j]! ||
      (distance[k]! >= (1 - TIE) * distance[j]! && neighbours[k]!.length > neighbours[j]!.length));
  return off.map((v, j) => (v === null ? null : v && !neighbours[j]!.some((k) => beats(k, j))));
}

export function checkModelAgreement(hand: THand, model: readonly TModelHand[] = []): TQualityFlag[] {
  const off = jointsOffModel(hand, model).flatMap((v, j) => (v ? [j] : []));
  if (off.length === 0) return [];
  const named = off.length > 4 ? `${off.length} joints` : off.map((j) => `the ${label(j)}`).join(", ");
  return [
    flag(
      "joint-off-model",
      "warning",
      `${named[0]!.toUpperCase()}${named.slice(1)} ${off.length === 1 ? "lies" : "lie"} well away from where the pose model put ` +
        `${off.length === 1 ? "it" : "them"}, while the rest of the hand agrees with the model. Check ${off.length === 1 ? "it" : "them"} ` +
        `(a slipped drag, or a fix of the model's mistake).`,
      off,
    ),
  ];
}
