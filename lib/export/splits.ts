/**
 * Subject-wise train/val/test splits. Splitting by subject (not by image) keeps one person's hands out of
 * both training and evaluation, which would otherwise inflate scores. Reproducible: the same subjects,
 * ratios and seed always give the same assignment, whatever order the ids arrive in.
 */
export type Split = "train" | "val" | "test";
export const SPLITS: readonly Split[] = ["train", "val", "test"];

export interface SplitRatios {
  train: number;
  val: number;
  test: number;
}

export const DEFAULT_SPLIT_RATIOS: SplitRatios = { train: 0.8, val: 0.1, test: 0.1 };

/** 32-bit FNV-1a hash: turns a string seed into a PRNG state. */
export function hashSeed(seed: string | number): number {
  const s = String(seed);
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/** mulberry32: small, fast, well-distributed; uniform floats in [0, 1). */
export function mulberry32(state: number): () => number {
  let a = state >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * How many of n subjects go to each split: the largest-remainder method, so counts sum to n and each
 * differs from ratio × n by less than 1. Ratios are normalised (0.8/0.1/0.1 and 8/1/1 are the same).
 */
export function splitCounts(n: number, ratios: SplitRatios = DEFAULT_SPLIT_RATIOS): Record<Split, number> {
  const values = SPLITS.map((s) => ratios[s]);
  if (values.some((v) => !Number.isFinite(v) || v < 0))
    throw new RangeError("split ratios must be non-negative numbers");
  const sum = values.reduce((a, b) => a + b, 0);
  if (sum <= 0) throw new RangeError("at least one split ratio must be positive");
  const exact = values.map((v) => (v / sum) * n);
  const counts = exact.map(Math.floor);
  let left = n - counts.reduce((a, b) => a + b, 0);
  // Hand out the remainder by largest fractional part; ties go to the earlier split (train first).
  const order = exact.map((e, i) => [e - Math.floor(e), i] as const).sort((a, b) => b[0] - a[0] || a[1] - b[1]);
  for (const [, i] of order) {
    if (left-- <= 0) break;
    counts[i]!++;
  }
  return { train: counts[0]!, val: counts[1]!, test: counts[2]! };
}

/**
 * Assign each subject to one split. Ids are de-duplicated and sorted first (so input order does not matter),
 * then shuffled with a seeded Fisher–Yates and cut by splitCounts().
 */
export function assignSplits(
  subjectIds: Iterable<string>,
  options: { ratios?: SplitRatios; seed?: string | number } = {},
): Map<string, Split> {
  const ids = [...new Set(subjectIds)].sort();
  const counts = splitCounts(ids.length, options.ratios ?? DEFAULT_SPLIT_RATIOS);
  const random = mulberry32(hashSeed(options.seed ?? 0));
  for (let i = ids.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [ids[i], ids[j]] = [ids[j]!, ids[i]!];
  }
  const result = new Map<string, Split>();
  let k = 0;
  for (const split of SPLITS) {
    for (let c = 0; c < counts[split]; c++) result.set(ids[k++]!, split);
  }
  return result;
}
