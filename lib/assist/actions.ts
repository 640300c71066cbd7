/**
 * Actions an annotator spends to bring one hand to within `tolerancePx` of its labels, with the
 * model's proposal and without it. The workspace's costs (lib/annotate/shortcuts.ts):
 * - without: N, then one click per labelled joint and X per unlabelled joint, then L or R;
 * - with: D (shared by the image's hands), one drag per labelled joint the model put more than
 *   `tolerancePx` away (or left out), one Shift+click per joint the model placed but the label has none —
 *   or one Shift+click in finger drag mode for a run of them that ends at the fingertip (absentActions) —
 *   one key if the handedness is wrong. A hand the model missed costs the manual price.
 */
import { dragFinger } from "@/lib/annotate/finger-drag";
import { dragHand, handDragKind, type THandDragKind } from "@/lib/annotate/hand-drag";
import { FINGERS, WRIST } from "@/lib/hand/skeleton";
import type { TLabelledHand, TPoint, TPredictedHand } from "./pck";

export type THandActions = { manual: number; assisted: number; corrected: number };

const JOINTS = 21;

export function manualActions(label: TLabelledHand, knownHandedness: boolean): number {
  const placed = label.filter(Boolean).length;
  return 1 + placed + (JOINTS - placed) + (knownHandedness ? 1 : 0);
}

export function assistedActions(
  label: TLabelledHand,
  predicted: TPredictedHand | null,
  options: { tolerancePx?: number; handednessWrong: boolean; knownHandedness: boolean; detectShare: number },
): THandActions {
  const manual = manualActions(label, options.knownHandedness);
  if (!predicted) return { manual, assisted: options.detectShare + manual, corrected: 0 };
  const tolerance = options.tolerancePx ?? 3;
  let actions = options.detectShare + (options.handednessWrong ? 1 : 0);
  let corrected = 0;
  label.forEach((truth, j) => {
    const guess = predicted[j];
    if (truth && (!guess || Math.hypot(guess.x - truth.x, guess.y - truth.y) > tolerance)) {
      actions += 1;
      corrected++;
    }
    if (!truth && guess) corrected++;
  });
  return { manual, assisted: actions + absentActions(label, predicted), corrected };
}

/**
 * Shift+clicks that mark absent the joints the model placed where the label has none: one per joint, except
 * that one Shift+click in finger drag mode clears a finger from a joint to its tip when none of those joints is
 * labelled (a hidden finger, or its hidden end). Labelled joints are never cleared (placing one again would
 * cost more than the click saved).
 */
export function absentActions(label: TLabelledHand, predicted: TPredictedHand): number {
  const placedUnlabelled = (j: number) => !label[j] && !!predicted[j];
  let actions = placedUnlabelled(WRIST) ? 1 : 0;
  for (const chain of Object.values(FINGERS)) {
    // The finger's unlabelled end: from `start` to the tip, no joint is labelled.
    let start = chain.length;
    while (start > 0 && !label[chain[start - 1]!]) start--;
    const before = chain.slice(0, start).filter(placedUnlabelled).length;
    actions += before + (chain.slice(start).some(placedUnlabelled) ? 1 : 0);
  }
  return actions;
}

/**
 * Like assistedActions, with the finger drag (lib/annotate/finger-drag.ts) as well as single-joint drags: per
 * finger, base to tip, an annotator who finds a joint off either drags it alone or drags the finger from it —
 * which also carries the joints after it — and keeps whichever leaves fewer actions for that finger.
 */
export function assistedActionsWithFingerDrag(
  label: TLabelledHand,
  predicted: TPredictedHand | null,
  options: { tolerancePx?: number; handednessWrong: boolean; knownHandedness: boolean; detectShare: number },
): THandActions {
  const plain = assistedActions(label, predicted, options);
  if (!predicted) return plain;
  const tolerance = options.tolerancePx ?? 3;
  const off = (p: TPoint | null | undefined, t: TPoint | null | undefined) =>
    !!t && (!p || Math.hypot(p.x - t.x, p.y - t.y) > tolerance);
  let actions = options.detectShare + (options.handednessWrong ? 1 : 0);
  let corrected = 0;
  // The wrist, and joints the model placed where the label has none, as before.
  const wristOff = off(predicted[WRIST], label[WRIST]);
  if (wristOff) {
    actions++;
    corrected++;
  }
  label.forEach((truth, j) => {
    if (!truth && predicted[j]) corrected++;
  });
  actions += absentActions(label, predicted);
  for (const chain of Object.values(FINGERS)) {
    const best = Math.min(
      ...wristPivots(label, predicted, wristOff).map((wrist) => cheapestFinger(chain, label, predicted, wrist, off)),
    );
    actions += best;
    corrected += best;
  }
  return { manual: plain.manual, assisted: Math.min(actions, plain.assisted), corrected };
}

/**
 * The most drags the simulated annotator orders freely before finishing finger by finger (a fourth hand drag saved
 * nothing on the sample photos).
 */
export const MAX_OPENING_DRAGS = 3;

/**
 * Like assistedActionsWithFingerDrag, with the hand drag (lib/annotate/hand-drag.ts) as well: the annotator opens
 * with up to MAX_OPENING_DRAGS drags in any order — hand drags of the kinds in `kinds` (the wrist moves the hand, a
 * finger base slides the knuckle row, any other joint turns and scales the hand about the wrist), and finger drags
 * ahead of a hand drag (a finger set right first gives the knuckle slide its direction) — each one action that
 * carries a labelled joint to its label, then finishes with finger and joint drags as above. The cheapest sequence
 * is kept: a depth-first search that stops where one more drag cannot beat the best found.
 */
export function assistedActionsWithHandDrag(
  label: TLabelledHand,
  predicted: TPredictedHand | null,
  options: { tolerancePx?: number; handednessWrong: boolean; knownHandedness: boolean; detectShare: number },
  kinds: readonly THandDragKind[] = ["move", "turn", "knuckles"],
): THandActions {
  const withFinger = assistedActionsWithFingerDrag(label, predicted, options);
  if (!predicted) return withFinger;
  const tolerance = options.tolerancePx ?? 3;
  const off = (p: TPoint | null | undefined, t: TPoint | null | undefined) =>
    !!t && (!p || Math.hypot(p.x - t.x, p.y - t.y) > tolerance);
  const fixed = options.detectShare + (options.handednessWrong ? 1 : 0) + absentActions(label, predicted);
  let best = withFinger.assisted;
  // Most openings leave most fingers as they were: each finger's cheapest finish is computed once per position.
  const fingerCosts = new Map<string, number>();
  const fingerCost = (chain: readonly number[], points: TPredictedHand, wrist: TPoint | null) => {
    const key = [wrist, ...chain.map((j) => points[j])].map((p) => (p ? `${p.x},${p.y}` : "-")).join(";");
    let cost = fingerCosts.get(key);
    if (cost === undefined) fingerCosts.set(key, (cost = cheapestFinger(chain, label, points, wrist, off)));
    return cost;
  };
  const finish = (points: TPredictedHand, drags: number) => {
    const wristOff = off(points[WRIST], label[WRIST]);
    const pivots = wristPivots(label, points, wristOff);
    let actions = fixed + drags + (wristOff ? 1 : 0);
    for (const chain of Object.values(FINGERS)) {
      if (actions >= best) break;
      actions += Math.min(...pivots.map((wrist) => fingerCost(chain, points, wrist)));
    }
    best = Math.min(best, actions);
  };
  const drag = (points: TPredictedHand, j: number, move: typeof dragHand) =>
    move(
      points.map((p) => (p ? { x: p.x, y: p.y, state: "visible" as const } : ABSENT)),
      j,
      label[j]!,
      UNBOUNDED,
    ).map((p, i) => (points[i] ? { x: p.x, y: p.y } : null));
  // `handLast`: the last opening drag was a hand drag (finger drags alone are the finishing search's).
  const search = (points: TPredictedHand, drags: number, handLast: boolean) => {
    if (handLast) finish(points, drags);
    if (drags >= MAX_OPENING_DRAGS || fixed + drags + 1 >= best) return;
    // Room for a finger drag and the hand drag after it.
    const fingerToo = drags + 2 <= MAX_OPENING_DRAGS && fixed + drags + 2 < best;
    label.forEach((target, j) => {
      const from = points[j];
      if (!target || !from || (from.x === target.x && from.y === target.y)) return;
      if (kinds.includes(handDragKind(j))) search(drag(points, j, dragHand), drags + 1, true);
      if (fingerToo && j !== WRIST) search(drag(points, j, dragFinger), drags + 1, false);
    });
  };
  search([...predicted], 0, true);
  return { ...withFinger, assisted: best };
}

/**
 * Where a finger drag from a finger's base may turn it about: the wrist as placed, or — when the wrist is off and
 * dragged alone (counted once) — its label, for the fingers dragged after it.
 */
function wristPivots(label: TLabelledHand, points: TPredictedHand, wristOff: boolean): (TPoint | null)[] {
  return wristOff ? [label[WRIST]!, points[WRIST] ?? null] : [points[WRIST] ?? null];
}

/**
 * The fewest drags that bring a finger's labelled joints within tolerance: base to tip, each joint is left as
 * it is (when within tolerance), dragged alone to its label, or finger-dragged to its label — which turns the
 * rest of the finger with it, and is worth doing even from a joint already within tolerance when the joints
 * after it are not.
 */
function cheapestFinger(
  chain: readonly number[],
  label: TLabelledHand,
  predicted: TPredictedHand,
  wrist: TPoint | null,
  off: (p: TPoint | null | undefined, t: TPoint | null | undefined) => boolean,
): number {
  const search = (k: number, points: (TPoint | null)[]): number => {
    if (k === chain.length) return 0;
    const j = chain[k]!;
    const isOff = off(points[j], label[j]);
    // Leave it, or drag it alone to its label (a joint the model left out can only be placed).
    const single = [...points];
    single[j] = label[j]!;
    let best = isOff ? 1 + search(k + 1, single) : search(k + 1, points);
    const pivot = k === 0 ? wrist : points[chain[k - 1]!];
    const from = points[j];
    const target = label[j];
    const restOff = chain.slice(k + 1).some((i) => off(points[i], label[i]));
    if (pivot && from && target && k < chain.length - 1 && (isOff || restOff)) {
      const keypoints = points.map((p) => (p ? { x: p.x, y: p.y, state: "visible" as const } : ABSENT));
      const moved = dragFinger(keypoints, j, target, UNBOUNDED);
      const dragged = moved.map((p, i) => (points[i] ? { x: p.x, y: p.y } : null));
      best = Math.min(best, 1 + search(k + 1, dragged));
    }
    return best;
  };
  // A base's finger drag turns the finger about `wrist`.
  return search(
    0,
    predicted.map((p, i) => (i === WRIST ? wrist : p)),
  );
}

const ABSENT = { x: 0, y: 0, state: "absent" as const };
const UNBOUNDED = { width: Number.MAX_SAFE_INTEGER, height: Number.MAX_SAFE_INTEGER };
