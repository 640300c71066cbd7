/**
 * Planted labelling mistakes: copies of a correct hand with one kind of mistake an annotator makes, for
 * the QC benchmark (bench/qc.ts) and the per-kind unit tests. Pure and deterministic: the same hand in,
 * the same copies out. Each generator changes only what the mistake changes (the box follows the joints
 * unless the mistake is the box itself), so a check that fires can only be reacting to the mistake.
 */
import { bboxFromKeypoints } from "@/lib/hand/bbox";
import type { THand, THandedness, TKeypoint } from "@/lib/hand/schema";
import { FINGER_NAMES, FINGERS, FINGERTIPS, JOINT_COUNT, WRIST, type FingerName } from "@/lib/hand/skeleton";
import { boneOf } from "./bone-lengths";
import { handScale } from "./geometry";
import type { TModelHand, TQualityContext } from "./run-checks";
import type { TSkinMap } from "./skin";
import { jitterHand, seededRandom } from "./synthetic-hands";

export type TImageSize = { width: number; height: number };

/**
 * A correct hand in its image (with the image's skin map where the photo is at hand): what mistakes are planted into.
 * `network`: where the photo is at hand, the hand-landmark network's view of the hand, run on its box as the server
 * does at submit (network-model.ts); it replaces the assumed model (MODEL_NOISE) as the stored prediction.
 */
export type TBaseHand = { name: string; hand: THand; image: TImageSize; skin?: TSkinMap; network?: TModelHand | null };

export const PLANT_KINDS = [
  "lr-swap (view set)",
  "lr-swap (no view, model prediction stored)",
  "lr-swap (no view, other hand in image)",
  "lr-swap (no view, no other signal)",
  "lr-swap (no view, network at submit)",
  "fingers swapped",
  "chain reversed",
  "joint onto another joint",
  "joint onto the wrist",
  "displaced 0.3 bone",
  "displaced 0.6 bone",
  "displaced 1.0 bone",
  "displaced 0.6 bone, model stored",
  "displaced 1.0 bone, model stored",
  "visible at the border, cut off",
  "hand shifted off the skin",
  "box far from joints",
] as const;
export type TPlantKind = (typeof PLANT_KINDS)[number];

/** One planted copy: the hand and the context it is checked in, with the joints the mistake touched. */
export type TPlantedCase = {
  kind: TPlantKind;
  base: string;
  detail: string;
  hand: THand;
  context: TQualityContext;
  joints: number[];
  /** What a flag that names this mistake says (for the "names it" column); else: a strong flag on one of `joints`. */
  names?: RegExp;
};

const OTHER_SIDE: Record<THandedness, THandedness> = { left: "right", right: "left", unknown: "unknown" };

function withKeypoints(hand: THand, keypoints: TKeypoint[]): THand {
  return { ...hand, keypoints, bbox: hand.bboxEdited ? hand.bbox : bboxFromKeypoints(keypoints) };
}

const placed = (p: TKeypoint | undefined) => !!p && p.state !== "absent";

/** Left/right label swapped (the joints stay where they are). */
export function swapHandedness(hand: THand): THand {
  return { ...hand, handedness: OTHER_SIDE[hand.handedness] };
}

/** Two fingers' chains exchanged: each label of one finger now holds the other finger's joint. */
export function swapFingers(hand: THand, a: FingerName, b: FingerName): THand {
  const keypoints = hand.keypoints.map((p) => ({ ...p }));
  FINGERS[a].forEach((ja, k) => {
    const jb = FINGERS[b][k]!;
    [keypoints[ja], keypoints[jb]] = [{ ...hand.keypoints[jb]! }, { ...hand.keypoints[ja]! }];
  });
  return withKeypoints(hand, keypoints);
}

/** A finger's chain labelled backwards: its base label on the tip, its tip label on the base. */
export function reverseChain(hand: THand, finger: FingerName): THand {
  const keypoints = hand.keypoints.map((p) => ({ ...p }));
  const chain = FINGERS[finger];
  chain.forEach((j, k) => (keypoints[j] = { ...hand.keypoints[chain[chain.length - 1 - k]!]! }));
  return withKeypoints(hand, keypoints);
}

/** A joint dropped onto another joint's spot (keeping its own state). */
export function moveJointOnto(hand: THand, joint: number, target: number): THand {
  const keypoints = hand.keypoints.map((p) => ({ ...p }));
  const to = hand.keypoints[target]!;
  keypoints[joint] = { ...keypoints[joint]!, x: to.x, y: to.y };
  return withKeypoints(hand, keypoints);
}

/** Length of the bone ending at `joint`, or null when either end is absent. */
export function boneLength(hand: THand, joint: number): number | null {
  const [a, b] = boneOf(joint);
  const p = hand.keypoints[a]!;
  const q = hand.keypoints[b]!;
  if (!placed(p) || !placed(q)) return null;
  return Math.hypot(p.x - q.x, p.y - q.y);
}

/** A joint moved `fraction` of its bone's length in direction `angle` (radians, image axes). */
export function displaceJoint(hand: THand, joint: number, fraction: number, angle: number): THand | null {
  const length = boneLength(hand, joint);
  if (!length) return null;
  const keypoints = hand.keypoints.map((p) => ({ ...p }));
  const p = keypoints[joint]!;
  keypoints[joint] = {
    ...p,
    x: p.x + fraction * length * Math.cos(angle),
    y: p.y + fraction * length * Math.sin(angle),
  };
  return withKeypoints(hand, keypoints);
}

/**
 * A photo that cuts the hand off, labelled as if it did not: the image is cropped at the edge nearest
 * `joint` so that the joint lies `beyond` pixels outside it, and every joint now outside is pulled onto
 * the border and marked visible (instead of absent). Null when the crop would cut off the wrist too.
 */
export function cutOffAtBorder(
  hand: THand,
  image: TImageSize,
  joint: number,
  beyond: number,
): { hand: THand; image: TImageSize } | null {
  const p = hand.keypoints[joint]!;
  if (!placed(p)) return null;
  const gaps = [
    { edge: "left", gap: p.x },
    { edge: "right", gap: image.width - p.x },
    { edge: "top", gap: p.y },
    { edge: "bottom", gap: image.height - p.y },
  ].sort((a, b) => a.gap - b.gap);
  const { edge } = gaps[0]!;
  // New image rectangle [x0, x1] × [y0, y1] in the old image's pixels.
  let [x0, y0, x1, y1] = [0, 0, image.width, image.height];
  if (edge === "left") x0 = p.x + beyond;
  if (edge === "right") x1 = p.x - beyond;
  if (edge === "top") y0 = p.y + beyond;
  if (edge === "bottom") y1 = p.y - beyond;
  const wrist = hand.keypoints[WRIST]!;
  if (placed(wrist) && (wrist.x < x0 || wrist.x > x1 || wrist.y < y0 || wrist.y > y1)) return null;
  const size = { width: x1 - x0, height: y1 - y0 };
  const keypoints: TKeypoint[] = hand.keypoints.map((q) => {
    if (!placed(q)) return { ...q };
    const x = q.x - x0;
    const y = q.y - y0;
    const inside = x >= 0 && x <= size.width && y >= 0 && y <= size.height;
    if (inside) return { ...q, x, y };
    return { x: Math.min(size.width, Math.max(0, x)), y: Math.min(size.height, Math.max(0, y)), state: "visible" };
  });
  const cut = { ...hand, keypoints, bbox: bboxFromKeypoints(keypoints, 0.1, size) };
  return { hand: cut, image: size };
}

/** The whole hand moved by (dx, dy): right shape, wrong place. */
export function shiftHand(hand: THand, dx: number, dy: number): THand {
  const keypoints = hand.keypoints.map((p) => (placed(p) ? { ...p, x: p.x + dx, y: p.y + dy } : { ...p }));
  return withKeypoints(hand, keypoints);
}

/** The hand's box dragged away by (dx, dy) and marked as edited; the joints stay. */
export function moveBox(hand: THand, dx: number, dy: number): THand {
  const box = hand.bbox ?? bboxFromKeypoints(hand.keypoints);
  if (!box) return hand;
  return { ...hand, bbox: { ...box, x: box.x + dx, y: box.y + dy }, bboxEdited: true };
}

/** The hand mirrored about a vertical line at `axisX`: what the same person's other hand looks like, roughly. */
export function mirrorHand(hand: THand, axisX: number): THand {
  const keypoints = hand.keypoints.map((p) => (placed(p) ? { ...p, x: 2 * axisX - p.x } : { ...p }));
  return { ...withKeypoints(hand, keypoints), handedness: OTHER_SIDE[hand.handedness], bboxEdited: false };
}

/** What a hand-pose model would have said about this hand: its joints and (anatomical) side. */
export function modelHandOf(hand: THand, score = 0.95): TModelHand {
  return { handedness: hand.handedness, score, keypoints: hand.keypoints.map((p) => ({ ...p })) };
}

/**
 * How far a pose model's landmarks stray from a careful label, per axis, in hand sizes (σ): an assumption of the
 * benchmark, not a measurement — a model that reads the photo about as well as a second annotator (the click
 * noise of correctCases is 0.02).
 */
export const MODEL_NOISE = 0.03;

/**
 * The stored model prediction for a base hand: the real network's (as region assist stores it) where the photo is
 * at hand, else its joints with MODEL_NOISE, seeded by the base's name (same every run).
 */
export function storedModelHandOf(base: TBaseHand, hand: THand = base.hand): TModelHand {
  if (base.network) {
    const { via: _submitOnly, ...stored } = base.network;
    return stored;
  }
  return noisyModelHandOf(base, hand);
}

/** The assumed model's prediction for a base hand: its joints with MODEL_NOISE, seeded by the base's name. */
export function noisyModelHandOf(base: TBaseHand, hand: THand = base.hand): TModelHand {
  const scale = handScale(base.hand) ?? 0;
  const random = seededRandom([...`model ${base.name}`].reduce((h, c) => (h * 31 + c.charCodeAt(0)) >>> 0, 7));
  return modelHandOf(jitterHand(hand, random, MODEL_NOISE * scale));
}

function extent(hand: THand): { minX: number; minY: number; maxX: number; maxY: number } | null {
  const pts = hand.keypoints.filter(placed);
  if (pts.length < 2) return null;
  return {
    minX: Math.min(...pts.map((p) => p.x)),
    minY: Math.min(...pts.map((p) => p.y)),
    maxX: Math.max(...pts.map((p) => p.x)),
    maxY: Math.max(...pts.map((p) => p.y)),
  };
}

/** The base hand beside its mirrored other hand, in an image widened to hold both. */
export function twoHandImage(base: TBaseHand): { hand: THand; other: THand; image: TImageSize } | null {
  const box = extent(base.hand);
  if (!box) return null;
  const gap = 0.3 * (box.maxX - box.minX) + 10;
  const axisX = box.maxX + gap / 2;
  const other = mirrorHand(base.hand, axisX);
  const otherBox = extent(other)!;
  return {
    hand: base.hand,
    other,
    image: { width: Math.max(base.image.width, Math.ceil(otherBox.maxX + 1)), height: base.image.height },
  };
}

const ANGLES = Array.from({ length: 8 }, (_, k) => (k * Math.PI) / 4);
const PAIRS: [FingerName, FingerName][] = FINGER_NAMES.flatMap((a, i) =>
  FINGER_NAMES.slice(i + 1).map((b) => [a, b] as [FingerName, FingerName]),
);

/** The correct hand in each context its planted copies are checked in (the baseline for false flags). */
export function correctCases(base: TBaseHand): { context: string; hand: THand; ctx: TQualityContext }[] {
  const px = base.skin ? { skin: base.skin } : {};
  const cases = [{ context: "as labelled", hand: base.hand, ctx: { image: base.image, ...px } as TQualityContext }];
  const noView = { ...base.hand, view: null };
  cases.push({
    context: "as labelled, model prediction",
    hand: base.hand,
    ctx: { image: base.image, model: [storedModelHandOf(base)], ...px },
  });
  if (base.hand.handedness !== "unknown")
    cases.push({
      context: "no view, model prediction",
      hand: noView,
      ctx: { image: base.image, model: [storedModelHandOf(base, noView)], ...px },
    });
  if (base.network && base.hand.handedness !== "unknown")
    cases.push({
      context: "no view, network at submit",
      hand: noView,
      ctx: { image: base.image, model: [base.network], ...px },
    });
  const pair = twoHandImage({ ...base, hand: noView });
  if (pair)
    cases.push({
      context: "no view, two-hand image",
      hand: pair.hand,
      ctx: { image: pair.image, otherHands: [pair.other], ...px },
    });
  // Robustness: the same hand clicked again with a little noise (σ = 2% of the hand's size per axis, seeded by name).
  const scale = handScale(base.hand);
  if (scale) {
    const random = seededRandom([...base.name].reduce((h, c) => (h * 31 + c.charCodeAt(0)) >>> 0, 7));
    for (let k = 0; k < 5; k++) {
      const noisy = jitterHand(base.hand, random, 0.02 * scale);
      const inside = noisy.keypoints.every(
        (p) => p.state === "absent" || (p.x >= 0 && p.y >= 0 && p.x <= base.image.width && p.y <= base.image.height),
      );
      if (inside)
        cases.push({ context: "as labelled + 2% click noise (×5)", hand: noisy, ctx: { image: base.image, ...px } });
    }
  }
  return cases;
}

/** Every planted copy of one correct hand, kind by kind. */
export function plantedCases(base: TBaseHand): TPlantedCase[] {
  const { hand, image, name, skin } = base;
  const px = skin ? { skin } : {};
  const ctx: TQualityContext = { image, ...px };
  const withModel: TQualityContext = { ...ctx, model: [storedModelHandOf(base)] };
  const out: TPlantedCase[] = [];
  const add = (
    kind: TPlantKind,
    detail: string,
    planted: THand | null,
    joints: number[],
    context: TQualityContext = ctx,
    names?: RegExp,
  ) => {
    if (planted) out.push({ kind, base: name, detail, hand: planted, context, joints, ...(names ? { names } : {}) });
  };
  const lr = /left\/right/i;

  if (hand.handedness !== "unknown") {
    if (hand.view === "palm" || hand.view === "back")
      add("lr-swap (view set)", `view ${hand.view}`, swapHandedness(hand), [], ctx, lr);
    const noView = { ...hand, view: null };
    add(
      "lr-swap (no view, model prediction stored)",
      "model agrees with the truth",
      swapHandedness(noView),
      [],
      { image, model: [storedModelHandOf(base, noView)], ...px },
      lr,
    );
    if (base.network)
      add(
        "lr-swap (no view, network at submit)",
        "the network run on the hand's box",
        swapHandedness(noView),
        [],
        { image, model: [base.network], ...px },
        lr,
      );
    const pair = twoHandImage({ ...base, hand: noView });
    if (pair)
      add(
        "lr-swap (no view, other hand in image)",
        "mirrored other hand",
        swapHandedness(pair.hand),
        [],
        { image: pair.image, otherHands: [pair.other], ...px },
        lr,
      );
    add("lr-swap (no view, no other signal)", "", swapHandedness(noView), [], ctx, lr);
  }

  for (const [a, b] of PAIRS) {
    const touched = [...FINGERS[a], ...FINGERS[b]];
    // A swap needs two fingers to swap: each with at least two placed joints.
    if ([a, b].some((f) => FINGERS[f].filter((j) => placed(hand.keypoints[j])).length < 2)) continue;
    add(
      "fingers swapped",
      `${a}↔${b}`,
      swapFingers(hand, a, b),
      touched,
      ctx,
      new RegExp(`${a} and ${b} look swapped|or ${a} and ${b}:`, "i"),
    );
  }
  for (const finger of FINGER_NAMES) {
    if (FINGERS[finger].filter((j) => placed(hand.keypoints[j])).length < 2) continue;
    add(
      "chain reversed",
      finger,
      reverseChain(hand, finger),
      [...FINGERS[finger]],
      ctx,
      new RegExp(`${finger} looks labelled backwards`, "i"),
    );
  }

  for (let j = 0; j < JOINT_COUNT; j++) {
    if (!placed(hand.keypoints[j])) continue;
    for (let k = 0; k < JOINT_COUNT; k++) {
      if (k === j || !placed(hand.keypoints[k])) continue;
      add(k === WRIST ? "joint onto the wrist" : "joint onto another joint", `${j}→${k}`, moveJointOnto(hand, j, k), [
        j,
        k,
      ]);
    }
    for (const [kind, fraction] of [
      ["displaced 0.3 bone", 0.3],
      ["displaced 0.6 bone", 0.6],
      ["displaced 1.0 bone", 1.0],
    ] as const) {
      ANGLES.forEach((angle, a) => add(kind, `${j} @${a * 45}°`, displaceJoint(hand, j, fraction, angle), [j]));
    }
    for (const [kind, fraction] of [
      ["displaced 0.6 bone, model stored", 0.6],
      ["displaced 1.0 bone, model stored", 1.0],
    ] as const) {
      ANGLES.forEach((angle, a) =>
        add(kind, `${j} @${a * 45}°`, displaceJoint(hand, j, fraction, angle), [j], withModel),
      );
    }
  }

  const size = Math.max(1, ...[boneLength(hand, FINGERS.middle[0]) ?? 0, boneLength(hand, FINGERS.index[0]) ?? 0]);
  for (const tip of FINGERTIPS) {
    const cut = cutOffAtBorder(hand, image, tip, 0.15 * size);
    if (cut) add("visible at the border, cut off", `tip ${tip}`, cut.hand, [tip], { image: cut.image });
  }

  const box = extent(hand);
  if (box) {
    const [w, h] = [box.maxX - box.minX, box.maxY - box.minY];
    for (const [dx, dy] of [
      [w, 0],
      [-w, 0],
      [0, h],
      [0, -h],
    ] as const) {
      const shifted = shiftHand(hand, dx, dy);
      const e = extent(shifted)!;
      // Off the skin needs the photo's pixels: only where the base hand comes with its skin map.
      if (skin && e.minX >= 0 && e.minY >= 0 && e.maxX <= image.width && e.maxY <= image.height)
        add("hand shifted off the skin", `by ${dx.toFixed(0)},${dy.toFixed(0)}`, shifted, []);
      add(
        "box far from joints",
        `by ${(1.5 * dx).toFixed(0)},${(1.5 * dy).toFixed(0)}`,
        moveBox(hand, 1.5 * dx, 1.5 * dy),
        [],
        ctx,
        /box/i,
      );
    }
  }
  return out;
}
