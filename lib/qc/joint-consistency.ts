/**
 * One joint moved off its place along a finger (a slipped drag, a click on the wrong crease). Each cue below is
 * weak on its own — real fingers flex, foreshorten and hyperextend a little — so the joint is flagged only when
 * at least CONSISTENCY_MIN_CUES independent cues agree on the same joint (leave-one-out: every cue asks whether
 * this one joint fits what its neighbours say):
 *
 *  - zig-zag: the finger turns one way at the joint's neighbour and the other way at the joint (a finger bends in
 *    one plane, one way, and a projection keeps the sense of its turns: real labels show opposite turns up to
 *    about 20°, from click noise and slight DIP hyperextension);
 *  - against the hand: the finger turns at the joint the opposite way to the other fingers' curl (fingers curl
 *    towards the palm only, and seen from one camera every finger's curl turns the same way on screen);
 *  - DIP without PIP: a sharp turn at the DIP while the PIP is straight (DIP flexion follows PIP flexion, ≈ ⅔ of
 *    it);
 *  - stretched: a bone at the joint drawn much longer than its anatomy (bone-lengths.ts yardstick), or a
 *    phalanx much longer than the one before it (proximal : middle : distal ≈ 1 : 0.6 : 0.45; foreshortening
 *    only shortens);
 *  - off the skin: the joint on non-skin pixels while both its neighbours are on skin (where the skin map is at
 *    hand; skin.ts);
 *  - off the model: the joint far from where the pose model put it, while the rest of the hand agrees with the
 *    model (where its prediction is stored; model-agreement.ts).
 * The wrist and the finger bases are left to the checks that read the palm (chain-direction.ts, bone-lengths.ts);
 * the thumb is left out, as real thumbs hyperextend at the MCP and bend the IP on their own (the sample hands'
 * thumbs raised these cues). A fingertip moved by up to its bone's length turns the DIP by at most ~67° or
 * lengthens the distal phalanx: what a flexed or foreshortened finger also shows, so tips are rarely flagged.
 */
import type { THand } from "@/lib/hand/schema";
import { BONES, FINGERS, WRIST, type FingerName } from "@/lib/hand/skeleton";
import { boneStretch } from "./bone-lengths";
import { flag, label, type TQualityFlag } from "./flag";
import { at, cross, dist, dot, handScale, sub, type Vec } from "./geometry";
import { jointsOffModel } from "./model-agreement";
import type { TModelHand } from "./run-checks";
import { jointsOnSkin, type TSkinMap } from "./skin";

/** Cues that must agree before a joint is flagged (strong). */
export const CONSISTENCY_MIN_CUES = 2;
/** Zig-zag: the sharper of the two opposite turns at least this many degrees, the other at least ZIG_MINOR_DEG. */
export const ZIG_MAJOR_DEG = 50;
export const ZIG_MINOR_DEG = 30;
/** Against the hand: a turn of at least this many degrees against the other fingers' curl. */
export const AGAINST_DEG = 40;
/** DIP without PIP: a DIP turn of at least this many degrees with a PIP turn under DIP_ALONE_PIP_DEG. */
export const DIP_ALONE_DEG = 60;
export const DIP_ALONE_PIP_DEG = 15;
/** Stretched: a bone beyond this × its yardstick, or a phalanx beyond PHALANX_STEP × the one before it. */
export const CONSISTENCY_STRETCH = 1.5;
export const PHALANX_STEP = 2;
/** Bones shorter than this fraction of the hand's size point at the camera: the turns at their ends are noise. */
export const TURN_MIN_BONE = 0.1;

/**
 * Beyond this turn a bone lies (nearly) back over the previous one — a finger curled towards the camera — and the
 * side it turns to is noise.
 */
export const READABLE_TURN_DEG = 110;

/** A finger whose turns add up to at least this many degrees visibly bends: its curl has a sense. */
export const CURL_SENSE_MIN_DEG = 30;

const FINGERS_ONLY: FingerName[] = ["index", "middle", "ring", "pinky"];

function signedTurn(a: Vec, b: Vec, c: Vec): number {
  const u = sub(b, a);
  const v = sub(c, b);
  return (Math.atan2(cross(u, v), dot(u, v)) * 180) / Math.PI;
}

const boneIndex = (a: number, b: number) => BONES.findIndex(([p, q]) => (p === a && q === b) || (p === b && q === a));

/** A finger's curl sense on screen (+1, -1), or 0 when it does not visibly bend or cannot be read. */
function curlSense(hand: THand, finger: FingerName): number {
  const p = FINGERS[finger].map((j) => at(hand, j));
  if (p.some((x) => !x)) return 0;
  const [a, b, c, d] = p as Vec[];
  const t1 = signedTurn(a, b, c);
  const t2 = signedTurn(b, c, d);
  // A bone folded straight back has no readable sense.
  if (Math.abs(t1) > READABLE_TURN_DEG || Math.abs(t2) > READABLE_TURN_DEG) return 0;
  return Math.abs(t1 + t2) >= CURL_SENSE_MIN_DEG ? Math.sign(t1 + t2) : 0;
}

export function checkJointConsistency(hand: THand, skin?: TSkinMap, model: readonly TModelHand[] = []): TQualityFlag[] {
  const scale = handScale(hand);
  if (!scale) return [];
  const stretch = boneStretch(hand);
  const onSkin = skin ? jointsOnSkin(hand, skin) : null;
  const offModel = jointsOffModel(hand, model);
  const flags: TQualityFlag[] = [];
  const senses = FINGERS_ONLY.map((f) => curlSense(hand, f));

  for (const [n, finger] of FINGERS_ONLY.entries()) {
    const chain = [WRIST, ...FINGERS[finger]];
    const pts = chain.map((j) => at(hand, j));
    // The other fingers' common curl sense (0 when they do not agree or do not bend).
    const curl = Math.sign(senses.reduce((sum, sense, m) => (m === n ? sum : sum + sense), 0));
    // turn[k]: the turn at chain[k] (k = 1 … 3: base, middle joints), null where a bone is missing or a stub.
    const turn = chain.map((_, k) => {
      const [a, b, c] = [pts[k - 1], pts[k], pts[k + 1]];
      if (!a || !b || !c) return null;
      if (Math.min(dist(a, b), dist(b, c)) < TURN_MIN_BONE * scale) return null;
      const t = signedTurn(a, b, c);
      return Math.abs(t) > READABLE_TURN_DEG ? null : t;
    });
    const length = (k: number) => (pts[k] && pts[k + 1] ? dist(pts[k]!, pts[k + 1]!) : null);

    // The finger's PIP, DIP and tip: chain positions 2 … 4. The joint with the most cues is
    // the one to move (ties: the one farther out, as its neighbours' cues are partly its own).
    let best: { k: number; cues: string[] } | null = null;
    for (let k = 2; k <= 4; k++) {
      const joint = chain[k]!;
      if (!pts[k]) continue;
      const cues: string[] = [];
      // Turns this joint's position changes: at itself and at its neighbours along the chain.
      const near = [k - 1, k, k + 1].filter((i) => i >= 1 && i <= 3);
      for (let i = 0; i + 1 < near.length; i++) {
        const [x, y] = [turn[near[i]!], turn[near[i + 1]!]];
        if (x === null || y === null || Math.sign(x) === Math.sign(y)) continue;
        if (
          Math.max(Math.abs(x), Math.abs(y)) >= ZIG_MAJOR_DEG &&
          Math.min(Math.abs(x), Math.abs(y)) >= ZIG_MINOR_DEG
        ) {
          cues.push(`the finger turns ${Math.round(x)}° then ${Math.round(y)}° (a finger bends one way only)`);
          break;
        }
      }
      if (curl !== 0) {
        const against = near
          .map((i) => turn[i])
          .find((t) => t != null && Math.sign(t) === -curl && Math.abs(t) >= AGAINST_DEG);
        if (against != null) cues.push(`it bends ${Math.round(Math.abs(against))}° against the other fingers' curl`);
      }
      if (k >= 3) {
        const [pip, dip] = [turn[2], turn[3]];
        if (pip != null && dip != null && Math.abs(dip) >= DIP_ALONE_DEG && Math.abs(pip) < DIP_ALONE_PIP_DEG)
          cues.push(`the DIP bends ${Math.round(Math.abs(dip))}° while the PIP stays straight`);
      }
      const bones = [boneIndex(chain[k - 1]!, joint), k < 4 ? boneIndex(joint, chain[k + 1]!) : -1].filter(
        (b) => b >= 0,
      );
      const worst = Math.max(...bones.map((b) => stretch[b] ?? 0));
      // Each phalanx over the one before it, for the phalanges ending or starting at this joint; not over a stub
      // (a phalanx pointing at the camera makes any ratio).
      const [before, own, after] = [length(k - 2), length(k - 1), length(k)];
      const ratio = (a: number | null, b: number | null) => (a && b && a >= TURN_MIN_BONE * scale ? b / a : 0);
      const step = Math.max(k >= 3 ? ratio(before, own) : 0, k <= 3 ? ratio(own, after) : 0);
      if (worst > CONSISTENCY_STRETCH) cues.push(`a bone to it is ${worst.toFixed(1)}× its usual length`);
      else if (step > PHALANX_STEP) cues.push(`a phalanx at it is ${step.toFixed(1)}× the one before it`);
      if (
        onSkin &&
        k < 4 &&
        onSkin[joint] === false &&
        onSkin[chain[k - 1]!] === true &&
        onSkin[chain[k + 1]!] === true
      )
        cues.push("it lies off the skin while its neighbours are on it");
      if (offModel[joint]) cues.push("the pose model put it elsewhere");
      if (cues.length >= CONSISTENCY_MIN_CUES && (!best || cues.length >= best.cues.length)) best = { k, cues };
    }
    if (best) {
      const { k, cues } = best;
      const joint = chain[k]!;
      flags.push(
        flag(
          "joint-off-finger",
          "strong",
          `The ${label(joint)} looks moved off its joint: ${cues.join("; ")}. Move it back onto the ${finger}, or mark it absent.`,
          [chain[k - 1]!, joint, ...(k < 4 ? [chain[k + 1]!] : [])],
        ),
      );
    }
  }
  return flags;
}
