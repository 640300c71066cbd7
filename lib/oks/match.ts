/**
 * One-to-one matching of two annotators' hands on the same image, for agreement statistics.
 * Greedy by OKS, best pair first (as COCO's evaluation matches detections to ground truth).
 *
 * Two annotators are peers, so the pair score is symmetric: the mean of oks(a, b) and oks(b, a)
 * (each uses its own reference's visibility and area); if only one direction is defined, that one.
 */
import type { THand } from "@/lib/hand/schema";
import { oks, type OksOptions } from "./oks";

/**
 * Pairs scoring below this are not the same hand. With the default sigmas, 0.1 means joints off by about
 * a tenth of the hand's box side on average — far worse than two people labelling one hand, far better than
 * two different hands (which score ≈ 0).
 */
export const MIN_MATCH_OKS = 0.1;

export type HandMatch = { a: number; b: number; oks: number };
export type HandMatching = { pairs: HandMatch[]; unmatchedA: number[]; unmatchedB: number[] };

export function symmetricOks(a: THand, b: THand, options: OksOptions = {}): number | null {
  const ab = oks(a, b, options);
  const ba = oks(b, a, options);
  if (ab === null) return ba;
  if (ba === null) return ab;
  return (ab + ba) / 2;
}

export function matchHandsByOks(
  handsA: readonly THand[],
  handsB: readonly THand[],
  options: OksOptions & { minOks?: number } = {},
): HandMatching {
  const { minOks = MIN_MATCH_OKS, ...oksOptions } = options;
  const candidates: HandMatch[] = [];
  handsA.forEach((a, i) =>
    handsB.forEach((b, j) => {
      const score = symmetricOks(a, b, oksOptions);
      if (score !== null && score >= minOks) candidates.push({ a: i, b: j, oks: score });
    }),
  );
  // Best first; ties broken by index so that the result does not depend on sort stability.
  candidates.sort((x, y) => y.oks - x.oks || x.a - y.a || x.b - y.b);
  const usedA = new Set<number>();
  const usedB = new Set<number>();
  const pairs: HandMatch[] = [];
  for (const c of candidates) {
    if (usedA.has(c.a) || usedB.has(c.b)) continue;
    usedA.add(c.a);
    usedB.add(c.b);
    pairs.push(c);
  }
  pairs.sort((x, y) => x.a - y.a);
  return {
    pairs,
    unmatchedA: handsA.map((_, i) => i).filter((i) => !usedA.has(i)),
    unmatchedB: handsB.map((_, j) => j).filter((j) => !usedB.has(j)),
  };
}
