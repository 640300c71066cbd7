/**
 * Agreement between two labellings of one image (two annotators, or an annotator and the gold):
 * hands are matched one-to-one by OKS; the score is the sum of matched OKS over the larger hand
 * count, so a missed or extra hand counts as 0. Two "no hands" labellings agree fully.
 */
import type { THand } from "@/lib/hand/schema";
import { matchHandsByOks } from "./match";
import type { OksOptions } from "./oks";

export function labellingAgreement(
  handsA: readonly THand[],
  handsB: readonly THand[],
  options: OksOptions = {},
): number {
  const total = Math.max(handsA.length, handsB.length);
  if (total === 0) return 1;
  const { pairs } = matchHandsByOks(handsA, handsB, options);
  return pairs.reduce((sum, pair) => sum + pair.oks, 0) / total;
}
