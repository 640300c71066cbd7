/**
 * A joint placed far from where its bones allow: a bone drawn much longer than that bone can be in this
 * hand. Photos foreshorten bones — they look shorter, never longer — so only "too long" is evidence.
 * The yardstick is the hand's size (geometry.ts, from the palm) times the bone's length in the annotation
 * template (lib/annotate/template.ts: DESIGN.md §4 proportions). A palm tilted away from the camera looks
 * small while the fingers may not, so the bar is wide.
 *
 * The joint to blame: a joint whose bones on both sides are too long sits where it does not belong (it was
 * moved, or dropped onto another joint); a too-long bone ending at a fingertip or starting at the wrist
 * blames the tip or the finger's base. Strong: a bone more than MAX_BONE_STRETCH × its length cannot be
 * foreshortening.
 */
import type { THand } from "@/lib/hand/schema";
import { BONES, FINGERS, WRIST } from "@/lib/hand/skeleton";
import { flag, label, type TQualityFlag } from "./flag";
import { at, dist, handScale } from "./geometry";
import { templateHand } from "./synthetic-hands";

/** A bone longer than this × its template length (in hand sizes) is a misplaced joint: strong. */
export const MAX_BONE_STRETCH = 2.2;

/**
 * Short bones are measured against at least this many hand sizes: a 2-pixel click error on a fingertip
 * bone must not read as "stretched". The wrist→thumb-CMC bone gets a longer yardstick still, as datasets
 * place the thumb's CMC anywhere from the wrist crease to halfway up the thenar eminence.
 */
export const MIN_BONE_YARDSTICK = 0.25;
export const THUMB_CMC_YARDSTICK = 0.5;

const TEMPLATE = templateHand({ wrist: [0, 0], middleMcp: [0, -1] });
/** Each bone's yardstick, in units of the wrist→middle-MCP length: its template length, or the floors above. */
export const BONE_YARDSTICK: readonly number[] = BONES.map(([a, b]) =>
  a === WRIST && b === 1 ? THUMB_CMC_YARDSTICK : Math.max(MIN_BONE_YARDSTICK, dist(at(TEMPLATE, a)!, at(TEMPLATE, b)!)),
);

/** The bone that ends at `joint` (for the wrist: wrist → middle MCP), as [from, to]. */
export function boneOf(joint: number): readonly [number, number] {
  if (joint === WRIST) return [FINGERS.middle[0], WRIST];
  return BONES.find(([, child]) => child === joint)!;
}

/** Each bone's length over its template length in this hand (null where an end is absent). */
export function boneStretch(hand: THand): (number | null)[] {
  const scale = handScale(hand);
  return BONES.map(([a, b], i) => {
    const p = at(hand, a);
    const q = at(hand, b);
    return p && q && scale ? dist(p, q) / (scale * BONE_YARDSTICK[i]!) : null;
  });
}

export function checkBoneLengths(hand: THand): TQualityFlag[] {
  const stretch = boneStretch(hand);
  const long = BONES.map((bone, i) => ({ bone, s: stretch[i] })).filter((b) => b.s !== null && b.s > MAX_BONE_STRETCH);
  if (long.length === 0) return [];
  // Count, per joint, the too-long bones touching it: the joint touching most of them is the misplaced one.
  const count = new Map<number, number>();
  for (const { bone } of long) for (const j of bone) count.set(j, (count.get(j) ?? 0) + 1);
  const flags: TQualityFlag[] = [];
  const blamed = new Set<number>();
  for (const { bone, s } of long) {
    const [a, b] = bone;
    if (blamed.has(a) || blamed.has(b)) continue;
    const ca = count.get(a)!;
    const cb = count.get(b)!;
    // Equal evidence: the child (farther from the wrist) is the likelier mistake, except a bone from the wrist.
    const joint = ca > cb ? a : cb > ca ? b : a === WRIST ? b : b;
    const other = joint === a ? b : a;
    blamed.add(joint);
    flags.push(
      flag(
        "bone-too-long",
        "strong",
        `The ${label(joint)} looks misplaced: the bone from the ${label(other)} to it is ${s!.toFixed(1)}× as long as that bone ` +
          `can be in this hand. Move the ${label(joint)} onto its joint, or mark it absent.`,
        [other, joint],
      ),
    );
  }
  return flags;
}
