/**
 * PCK (percentage of correct keypoints) of detected hands against labelled hands, for measuring model
 * assistance on real photos. A keypoint is correct when it lies within `alpha` × the labelled hand's
 * box size (the larger side of the tight box around its labelled joints) of the label. Only labelled
 * joints count; a labelled hand with no detection scores 0 on all of them.
 */

export type TPoint = { x: number; y: number };
/** A labelled joint, or null where it is not labelled. */
export type TLabelledHand = (TPoint | null)[];
/** A detected joint, or null where the model gave none (absent). */
export type TPredictedHand = (TPoint | null)[];

export type THandPck = {
  correct: number;
  labelled: number;
  pck: number;
  boxSize: number;
  matched: number | null;
  meanErrorPx: number | null;
};

export function boxSize(hand: TLabelledHand): number {
  const placed = hand.filter((p): p is TPoint => p !== null);
  if (placed.length < 2) return 0;
  const xs = placed.map((p) => p.x);
  const ys = placed.map((p) => p.y);
  return Math.max(Math.max(...xs) - Math.min(...xs), Math.max(...ys) - Math.min(...ys));
}

/** PCK of one prediction against one labelled hand. */
export function handPck(
  label: TLabelledHand,
  predicted: TPredictedHand | null,
  alpha = 0.2,
): Omit<THandPck, "matched"> {
  const size = boxSize(label);
  const threshold = alpha * size;
  let correct = 0;
  let labelled = 0;
  let errorSum = 0;
  let measured = 0;
  label.forEach((truth, j) => {
    if (!truth) return;
    labelled++;
    const guess = predicted?.[j];
    if (!guess) return;
    const error = Math.hypot(guess.x - truth.x, guess.y - truth.y);
    errorSum += error;
    measured++;
    if (error <= threshold) correct++;
  });
  return {
    correct,
    labelled,
    pck: labelled ? correct / labelled : 0,
    boxSize: size,
    meanErrorPx: measured ? errorSum / measured : null,
  };
}

/**
 * PCK of each labelled hand, matched greedily to the detection that scores best on it (ties: lower mean
 * error); each detection is used at most once. Extra detections are not penalised here (count them apart).
 */
export function imagePck(labels: TLabelledHand[], predictions: TPredictedHand[], alpha = 0.2): THandPck[] {
  const candidates = labels.flatMap((label, l) =>
    predictions.map((prediction, p) => ({ l, p, result: handPck(label, prediction, alpha) })),
  );
  candidates.sort(
    (a, b) => b.result.pck - a.result.pck || (a.result.meanErrorPx ?? Infinity) - (b.result.meanErrorPx ?? Infinity),
  );
  const out: (THandPck | null)[] = labels.map(() => null);
  const used = new Set<number>();
  for (const { l, p, result } of candidates) {
    if (out[l] || used.has(p)) continue;
    out[l] = { ...result, matched: p };
    used.add(p);
  }
  return labels.map((label, l) => out[l] ?? { ...handPck(label, null, alpha), matched: null });
}

export const mean = (values: number[]) => (values.length ? values.reduce((a, b) => a + b, 0) / values.length : NaN);
