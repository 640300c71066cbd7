/**
 * Where a prediction's error lives (bench/support/region-bench.ts prints it): how much of it one transform of
 * the whole hand removes, and how much one rotation + scale of each finger about its base removes on top.
 * A joint counts as fine when it is within `tolerance` of its label. Only labelled joints count.
 */
import { FINGERS, WRIST } from "@/lib/hand/skeleton";
import type { TLabelledHand, TPoint, TPredictedHand } from "./pck";

/** z ↦ a·z + b on the plane (a = rotation × scale, b = translation), as complex numbers. */
export type TSimilarity = { ar: number; ai: number; bx: number; by: number };

export function applySimilarity(t: TSimilarity, p: TPoint): TPoint {
  return { x: t.ar * p.x - t.ai * p.y + t.bx, y: t.ai * p.x + t.ar * p.y + t.by };
}

/**
 * The least-squares similarity (translation, rotation, scale) carrying `from` onto `to` over the pairs where
 * both are present; `pivot` fixes the transform's centre instead (rotation and scale only, about that point).
 * Null with fewer than two pairs (one with a pivot).
 */
export function fitSimilarity(
  from: readonly (TPoint | null | undefined)[],
  to: readonly (TPoint | null | undefined)[],
  pivot?: TPoint,
): TSimilarity | null {
  const pairs = from.flatMap((p, j) => (p && to[j] ? [[p, to[j]!] as const] : []));
  if (pairs.length < (pivot ? 1 : 2)) return null;
  const n = pairs.length;
  const cp = pivot ?? { x: pairs.reduce((a, [p]) => a + p.x, 0) / n, y: pairs.reduce((a, [p]) => a + p.y, 0) / n };
  const cq = pivot ?? { x: pairs.reduce((a, [, q]) => a + q.x, 0) / n, y: pairs.reduce((a, [, q]) => a + q.y, 0) / n };
  // a = Σ conj(p − cp)(q − cq) / Σ |p − cp|²
  let num_r = 0;
  let num_i = 0;
  let den = 0;
  for (const [p, q] of pairs) {
    const px = p.x - cp.x;
    const py = p.y - cp.y;
    const qx = q.x - cq.x;
    const qy = q.y - cq.y;
    num_r += px * qx + py * qy;
    num_i += px * qy - py * qx;
    den += px * px + py * py;
  }
  if (den < 1e-12) return null;
  const ar = num_r / den;
  const ai = num_i / den;
  // b = cq − a·cp
  return { ar, ai, bx: cq.x - (ar * cp.x - ai * cp.y), by: cq.y - (ai * cp.x + ar * cp.y) };
}

export type TDecomposition = {
  labelled: number;
  /** Labelled joints within tolerance as predicted. */
  raw: number;
  /** … after moving the whole hand by its mean offset (translation only). */
  translated: number;
  /** … after the least-squares similarity of the whole hand onto the labels. */
  global: number;
  /** … after each finger's chain (the joints after its base) is turned and scaled about its predicted base. */
  fingers: number;
  /** … after the global similarity and then each finger's chain about its (transformed) base. */
  globalThenFingers: number;
  /** … as globalThenFingers, with each finger's base (and the wrist) moved onto its label first. */
  basesPlacedThenFingers: number;
  /** Per joint kind, labelled joints still off after globalThenFingers. */
  offAfter: { wrist: number; base: number; middle: number; tip: number };
};

const within = (p: TPoint | null | undefined, t: TPoint, tolerance: number) =>
  !!p && Math.hypot(p.x - t.x, p.y - t.y) <= tolerance;

function countWithin(points: TPredictedHand, label: TLabelledHand, tolerance: number): number {
  return label.reduce((n, t, j) => n + (t && within(points[j], t, tolerance) ? 1 : 0), 0);
}

/** Each finger's chain after its base, turned and scaled about the base's point in `points` (least squares). */
function fitFingers(points: TPredictedHand, label: TLabelledHand): TPredictedHand {
  const out = [...points];
  for (const chain of Object.values(FINGERS)) {
    const base = out[chain[0]];
    if (!base) continue;
    const rest = chain.slice(1);
    const t = fitSimilarity(
      rest.map((j) => out[j]),
      rest.map((j) => label[j]),
      base,
    );
    if (!t) continue;
    for (const j of rest) if (out[j]) out[j] = applySimilarity(t, out[j]!);
  }
  return out;
}

/** The whole hand moved by the mean offset of its labelled joints. */
function translate(points: TPredictedHand, label: TLabelledHand): TPredictedHand {
  const pairs = points.flatMap((p, j) => (p && label[j] ? [[p, label[j]!] as const] : []));
  if (pairs.length === 0) return [...points];
  const dx = pairs.reduce((a, [p, t]) => a + t.x - p.x, 0) / pairs.length;
  const dy = pairs.reduce((a, [p, t]) => a + t.y - p.y, 0) / pairs.length;
  return points.map((p) => (p ? { x: p.x + dx, y: p.y + dy } : null));
}

export function decomposeError(label: TLabelledHand, predicted: TPredictedHand, tolerance: number): TDecomposition {
  const labelled = label.filter(Boolean).length;
  const global = fitSimilarity(predicted, label);
  const moved = global ? predicted.map((p) => (p ? applySimilarity(global, p) : null)) : [...predicted];
  const globalThenFingers = fitFingers(moved, label);
  const placed = moved.map((p, j) =>
    p && label[j] && (j === WRIST || Object.values(FINGERS).some((c) => c[0] === j)) ? label[j]! : p,
  );
  const off = (j: number) => !!label[j] && !within(globalThenFingers[j], label[j]!, tolerance);
  const kinds = { wrist: 0, base: 0, middle: 0, tip: 0 };
  if (off(WRIST)) kinds.wrist++;
  for (const chain of Object.values(FINGERS))
    chain.forEach((j, k) => {
      if (off(j)) kinds[k === 0 ? "base" : k === 3 ? "tip" : "middle"]++;
    });
  return {
    labelled,
    raw: countWithin(predicted, label, tolerance),
    translated: countWithin(translate(predicted, label), label, tolerance),
    global: countWithin(moved, label, tolerance),
    fingers: countWithin(fitFingers(predicted, label), label, tolerance),
    globalThenFingers: countWithin(globalThenFingers, label, tolerance),
    basesPlacedThenFingers: countWithin(fitFingers(placed, label), label, tolerance),
    offAfter: kinds,
  };
}
