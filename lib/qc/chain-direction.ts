/**
 * A finger's chain labelled backwards (tip ↔ MCP). Two independent signs, each strong on its own:
 *
 *  1. Its base is out on the finger: the finger's MCP lies much farther from the wrist than the other
 *     knuckles (they sit in the rigid palm, within about 15% of one another's distance; a pinky's shorter
 *     metacarpal is the largest natural gap). An open finger labelled backwards puts its "MCP" on the tip.
 *  2. Its tip is on the knuckle row: the finger's MCP is far from where its neighbours' knuckles put it,
 *     and its tip sits there instead (a curled finger labelled backwards).
 *  3. It curls the wrong way: fingers flex towards the palm only, so seen from any side every finger that
 *     visibly bends turns the same way on screen (a projection keeps the sense of a plane curve's turn).
 *     A curled finger whose bend turns clearly against the others' is traversed backwards. The thumb's
 *     plane differs from the fingers'; it is reversed when its tip is nearer the wrist than its CMC, which
 *     no thumb can do (its tip reaches across the palm, not back to the wrist).
 */
import type { THand } from "@/lib/hand/schema";
import { FINGERS, WRIST, type FingerName } from "@/lib/hand/skeleton";
import { flag, label, type TQualityFlag } from "./flag";
import { knuckleOrderBroken } from "./finger-order";
import { at, cross, dist, dot, handScale, MCPS, sub, type Vec } from "./geometry";

/** A finger's MCP beyond this × the median wrist→MCP distance of the other fingers is out on the finger. */
export const MCP_MAX_REACH = 1.6;
/** An MCP farther than this (hand sizes) from where its neighbours' knuckles put it is off the knuckle row. */
export const KNUCKLE_ROW_TOLERANCE = 0.15;
/** A finger "visibly bends" when its turns at PIP and DIP add up to at least this many degrees. */
export const CURL_MIN_DEG = 45;
/** Bones shorter than this fraction of the hand's size point at the camera: their direction is noise. */
export const CURL_MIN_BONE = 0.12;
/**
 * A zig-zag: the turns at PIP and DIP (thumb: MCP and IP) both beyond this many degrees but in opposite
 * directions. A finger bends in one plane, one way, and a projection keeps that, so a real finger's turns
 * share a sign; real labels show opposite turns up to about 20° (click noise, slight DIP hyperextension).
 */
export const ZIGZAG_MIN_DEG = 45;
/** An MCP this far (hand sizes) from where its neighbours put it is off the knuckle row whatever its tip does. */
export const KNUCKLE_ROW_MAX_OFF = 0.4;

/** Beyond this turn a bone lies back over the previous one and the side it turns to is noise. */
const FOLD_BACK_DEG = 150;

const FINGERS_ONLY: FingerName[] = ["index", "middle", "ring", "pinky"];

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

function signedTurn(a: Vec, b: Vec, c: Vec): number {
  const u = sub(b, a);
  const v = sub(c, b);
  return (Math.atan2(cross(u, v), dot(u, v)) * 180) / Math.PI;
}

/** The finger's signed bend on screen (turn at PIP + turn at DIP, degrees), or null when it cannot be read. */
function curl(hand: THand, finger: FingerName, scale: number): number | null {
  const pts = FINGERS[finger].map((j) => at(hand, j));
  if (pts.some((p) => !p)) return null;
  const [a, b, c, d] = pts as Vec[];
  if (Math.min(dist(a, b), dist(b, c), dist(c, d)) < CURL_MIN_BONE * scale) return null;
  const turns = [signedTurn(a, b, c), signedTurn(b, c, d)];
  // A bone folded straight back (a middle phalanx over a foreshortened proximal one) has no readable sense.
  if (turns.some((t) => Math.abs(t) > FOLD_BACK_DEG)) return null;
  return turns[0]! + turns[1]!;
}

const reversed = (finger: FingerName, why: string) =>
  flag(
    "chain-reversed",
    "strong",
    `The ${finger} looks labelled backwards (tip ↔ MCP): ${why}. Reverse the order of its four joints ` +
      `(${FINGERS[finger].map(label).join(", ")}).`,
    [...FINGERS[finger]],
  );

/** The hand with one joint marked absent. */
function withoutJoint(hand: THand, joint: number): THand {
  const keypoints = [...hand.keypoints];
  keypoints[joint] = { x: 0, y: 0, state: "absent" };
  return { ...hand, keypoints };
}

/** Where the neighbours' knuckles put MCP number k (index 0 … pinky 3): between them, or continuing their row. */
function expectedMcp(hand: THand, k: number): Vec | null {
  const mcp = (i: number) => at(hand, MCPS[i]!);
  const [a, b] = k === 0 ? [mcp(1), mcp(2)] : k === 3 ? [mcp(2), mcp(1)] : [mcp(k - 1), mcp(k + 1)];
  if (!a || !b) return null;
  return k === 0 || k === 3 ? { x: 2 * a.x - b.x, y: 2 * a.y - b.y } : { x: (a.x + b.x) / 2, y: (a.y + b.y) / 2 };
}

export function checkChainDirection(hand: THand): TQualityFlag[] {
  const scale = handScale(hand);
  if (!scale) return [];
  const flags: TQualityFlag[] = [];
  const flagged = new Set<FingerName>();
  const wrist = at(hand, WRIST);

  if (wrist) {
    const reach = MCPS.map((j) => ({ j, p: at(hand, j) }))
      .filter((m): m is { j: number; p: Vec } => m.p !== null)
      .map((m) => ({ ...m, r: dist(wrist, m.p) }));
    for (const m of reach) {
      const others = reach.filter((o) => o !== m).map((o) => o.r);
      if (others.length < 2) continue;
      const ratio = m.r / median(others);
      if (ratio > MCP_MAX_REACH) {
        const finger = FINGERS_ONLY.find((f) => FINGERS[f][0] === m.j)!;
        flagged.add(finger);
        flags.push(
          reversed(
            finger,
            `its MCP is ${ratio.toFixed(1)}× as far from the wrist as the other knuckles, out where a fingertip would be`,
          ),
        );
      }
    }
    const cmc = at(hand, FINGERS.thumb[0]);
    const tip = at(hand, FINGERS.thumb[3]);
    if (cmc && tip && dist(cmc, tip) > CURL_MIN_BONE * scale && dist(wrist, tip) < dist(wrist, cmc)) {
      flagged.add("thumb");
      flags.push(reversed("thumb", "its tip is nearer the wrist than its CMC, which no thumb can reach"));
    }
  }

  // Rule 2: where the neighbours' knuckles put each MCP (between them, or continuing their row at the ends).
  // Knuckles out of order are finger-order's to name (a swap); the row is unreliable then.
  const rowBroken = knuckleOrderBroken(hand);
  const offRow: number[] = [];
  for (let k = 0; k < 4 && !rowBroken; k++) {
    const finger = FINGERS_ONLY[k]!;
    const own = at(hand, MCPS[k]!);
    const tip = at(hand, FINGERS[finger][3]);
    const expected = expectedMcp(hand, k);
    if (flagged.has(finger) || !own || !tip || !expected) continue;
    const off = dist(own, expected);
    // Measured against the hand's size without this knuckle: a misplaced one must not stretch its own yardstick.
    const ownScale = handScale(withoutJoint(hand, MCPS[k]!)) ?? scale;
    if (off > KNUCKLE_ROW_TOLERANCE * ownScale && dist(tip, expected) < off / 2) {
      flagged.add(finger);
      flags.push(
        reversed(finger, "its tip sits on the knuckle row where its MCP belongs, and its MCP out on the finger"),
      );
    } else if (off > KNUCKLE_ROW_MAX_OFF * scale) offRow.push(k);
  }
  // One moved knuckle also puts its neighbours off the row they are measured against (and inflates the hand's
  // size, which is read from the knuckles' spacing). With all four knuckles placed, the moved one is the one
  // without which the other three make a regular row (evenly spaced on a line); name it, and any knuckle still
  // off once it is back.
  const blame = (ks: number[]): number[] => {
    if (ks.length === 0) return ks;
    const m = MCPS.map((j) => at(hand, j));
    if (m.some((p) => !p)) return ks;
    const irregularity = (k: number) => {
      const [i, j, l] = [0, 1, 2, 3].filter((x) => x !== k) as [number, number, number];
      const t = (j - i) / (l - i);
      const [pi, pj, pl] = [m[i]!, m[j]!, m[l]!];
      return dist(pj, { x: pi.x + t * (pl.x - pi.x), y: pi.y + t * (pl.y - pi.y) });
    };
    const culprit = [0, 1, 2, 3].sort((x, y) => irregularity(x) - irregularity(y))[0]!;
    const fixed = { ...hand, keypoints: [...hand.keypoints] };
    const e = expectedMcp(hand, culprit)!;
    fixed.keypoints[MCPS[culprit]!] = { ...hand.keypoints[MCPS[culprit]!]!, x: e.x, y: e.y };
    const left = ks.filter((o) => {
      if (o === culprit) return false;
      const q = expectedMcp(fixed, o);
      return !!q && dist(at(fixed, MCPS[o]!)!, q) > KNUCKLE_ROW_MAX_OFF * scale;
    });
    return [culprit, ...left];
  };
  for (const k of blame(offRow)) {
    if (flagged.has(FINGERS_ONLY[k]!)) continue;
    const off = dist(at(hand, MCPS[k]!)!, expectedMcp(hand, k)!);
    flagged.add(FINGERS_ONLY[k]!);
    flags.push(
      flag(
        "bone-too-long",
        "strong",
        `The ${label(MCPS[k]!)} is off the knuckle row (${(off / scale).toFixed(2)} hand sizes from where the neighbouring ` +
          `knuckles put it): it was probably moved. Put it back between its neighbours.`,
        [MCPS[k]!],
      ),
    );
  }

  // Zig-zag within one finger: the joint between the two opposite turns was moved sideways.
  for (const finger of [...FINGERS_ONLY, "thumb" as const]) {
    if (flagged.has(finger)) continue;
    const pts = FINGERS[finger].map((j) => at(hand, j));
    if (pts.some((p) => !p)) continue;
    const [a, b, c, d] = pts as Vec[];
    if (Math.min(dist(a, b), dist(b, c), dist(c, d)) < CURL_MIN_BONE * scale) continue;
    const t1 = signedTurn(a, b, c);
    const t2 = signedTurn(b, c, d);
    if (Math.max(Math.abs(t1), Math.abs(t2)) > FOLD_BACK_DEG) continue;
    if (Math.sign(t1) === Math.sign(t2) || Math.min(Math.abs(t1), Math.abs(t2)) < ZIGZAG_MIN_DEG) continue;
    // The joint with the sharper turn is the one off the line.
    const [j1, j2] = [FINGERS[finger][1], FINGERS[finger][2]];
    const joint = Math.abs(t1) >= Math.abs(t2) ? j1 : j2;
    flagged.add(finger);
    flags.push(
      flag(
        "finger-folded",
        "strong",
        `The ${finger} zig-zags (${Math.round(t1)}° then ${Math.round(t2)}°): a finger bends one way only, so the ` +
          `${label(joint)} is probably off its joint. Move it back onto the finger.`,
        [...FINGERS[finger]],
      ),
    );
  }

  const curls = FINGERS_ONLY.map((f) => ({ f, c: curl(hand, f, scale) })).filter(
    (x): x is { f: FingerName; c: number } => x.c !== null,
  );
  for (const { f, c } of curls) {
    if (flagged.has(f) || Math.abs(c) < CURL_MIN_DEG) continue;
    const others = curls.filter((o) => o.f !== f && Math.abs(o.c) >= CURL_MIN_DEG);
    if (others.length === 0) continue;
    // Every other bent finger must turn the opposite way: one odd finger out, not a mixed picture.
    if (others.every((o) => Math.sign(o.c) !== Math.sign(c))) {
      flags.push(
        reversed(
          f,
          `it bends ${Math.round(Math.abs(c))}° the opposite way to the other fingers, and fingers only curl towards the palm`,
        ),
      );
    }
  }
  return flags;
}
