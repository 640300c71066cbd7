/**
 * Per-joint sigmas from a project's own double annotation, by COCO's derivation σ_i² = E[d_i² / s²]:
 * d_i is the distance between the two labels of joint i on one hand and s² that hand's area.
 *
 * - A pair contributes joint i only when both labels place it.
 * - s² is the mean of the two labels' areas (handArea: stored box, else keypoints' box), so neither
 *   annotator is privileged; pairs whose area is not positive are skipped.
 * - A joint needs at least `minPairs` samples (default 30: the standard error of a variance estimate is
 *   ≈ √(2/n), about 26 % of σ² — 13 % of σ — at 30). Joints below it take `fallback[i]`
 *   (default COCO_WHOLEBODY_HAND_SIGMAS). If no joint reaches it, the result is null: there is nothing
 *   of the project's own to report.
 */
import type { THand } from "@/lib/hand/schema";
import { JOINT_COUNT } from "@/lib/hand/skeleton";
import { handArea } from "./oks";
import { COCO_WHOLEBODY_HAND_SIGMAS } from "./sigmas";

export const MIN_SIGMA_PAIRS = 30;

export type SigmaStats = { sigmas: (number | null)[]; counts: number[] };

/**
 * What the estimate is made of, additive over pairs: the number of pairs, and per joint the sum of d²/s² and
 * its sample count. Stored per doubly-labelled image (lib/qc/pair-facts.ts) and added up by the quality page.
 */
export type TSigmaSums = { pairs: number; sums: number[]; counts: number[] };

export function sigmaSums(pairs: readonly (readonly [THand, THand])[]): TSigmaSums {
  const sums = new Array<number>(JOINT_COUNT).fill(0);
  const counts = new Array<number>(JOINT_COUNT).fill(0);
  for (const [a, b] of pairs) {
    const area = (handArea(a) + handArea(b)) / 2;
    if (!(area > 0) || !Number.isFinite(area)) continue;
    for (let i = 0; i < JOINT_COUNT; i++) {
      const p = a.keypoints[i]!;
      const q = b.keypoints[i]!;
      if (p.state === "absent" || q.state === "absent") continue;
      const d2 = (p.x - q.x) ** 2 + (p.y - q.y) ** 2;
      if (!Number.isFinite(d2)) continue;
      sums[i]! += d2 / area;
      counts[i]!++;
    }
  }
  return { pairs: pairs.length, sums, counts };
}

export function addSigmaSums(a: TSigmaSums, b: TSigmaSums): TSigmaSums {
  return {
    pairs: a.pairs + b.pairs,
    sums: a.sums.map((s, i) => s + b.sums[i]!),
    counts: a.counts.map((c, i) => c + b.counts[i]!),
  };
}

export const NO_SIGMA_SUMS: TSigmaSums = {
  pairs: 0,
  sums: new Array<number>(JOINT_COUNT).fill(0),
  counts: new Array<number>(JOINT_COUNT).fill(0),
};

/** Raw per-joint estimates and sample counts; a joint with fewer than `minPairs` samples is null. */
export function sigmaStatsFromSums({ sums, counts }: TSigmaSums, minPairs = MIN_SIGMA_PAIRS): SigmaStats {
  return {
    sigmas: sums.map((s, i) => (counts[i]! >= minPairs ? Math.sqrt(s / counts[i]!) : null)),
    counts: [...counts],
  };
}

export function sigmaStats(pairs: readonly (readonly [THand, THand])[], minPairs = MIN_SIGMA_PAIRS): SigmaStats {
  return sigmaStatsFromSums(sigmaSums(pairs), minPairs);
}

export function estimateSigmasFromSums(
  sample: TSigmaSums,
  options: { minPairs?: number; fallback?: readonly number[] } = {},
): number[] | null {
  const { minPairs = MIN_SIGMA_PAIRS, fallback = COCO_WHOLEBODY_HAND_SIGMAS } = options;
  const { sigmas } = sigmaStatsFromSums(sample, minPairs);
  if (sigmas.every((s) => s === null)) return null;
  return sigmas.map((s, i) => s ?? fallback[i]!);
}

export function estimateSigmas(
  pairs: readonly (readonly [THand, THand])[],
  options: { minPairs?: number; fallback?: readonly number[] } = {},
): number[] | null {
  return estimateSigmasFromSums(sigmaSums(pairs), options);
}
