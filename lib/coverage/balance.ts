/**
 * Balancing an export over one coverage dimension, reproducible with the export's seed: either cap
 * every value at N images ("cap"), or sample the largest subset whose images follow given shares
 * ("distribution"). Images are the unit (an image's hands stay together); an image counts under the
 * value of its first hand. What was dropped is reported per value.
 */
import { z } from "zod";
import { hashSeed, mulberry32 } from "@/lib/export/splits";
import { DIMENSION_IDS, type TDimensionId } from "./dimensions";

const ZDimension = z.enum(DIMENSION_IDS as [TDimensionId, ...TDimensionId[]]);

export const ZBalanceOptions = z.discriminatedUnion("mode", [
  z.object({ mode: z.literal("none") }),
  z.object({ mode: z.literal("cap"), dimension: ZDimension, cap: z.number().int().min(1).max(10_000_000) }),
  z.object({
    mode: z.literal("distribution"),
    dimension: ZDimension,
    /** value → share; shares are normalised, values not listed are dropped. */
    shares: z
      .record(z.string().min(1), z.number().min(0).max(1))
      .refine((s) => Object.values(s).some((v) => v > 0), { message: "Give at least one value a share above 0" }),
  }),
]);
export type TBalanceOptions = z.infer<typeof ZBalanceOptions>;

export type TBalanceResult<T> = { kept: T[]; dropped: { value: string; count: number }[] };

function shuffled<T>(items: readonly T[], seed: number | string): T[] {
  const random = mulberry32(hashSeed(seed));
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [out[i], out[j]] = [out[j], out[i]];
  }
  return out;
}

/** Keeps the input order of the items kept. */
export function balanceItems<T>(
  items: readonly T[],
  valueOf: (item: T) => string,
  options: TBalanceOptions,
  seed: number,
): TBalanceResult<T> {
  if (options.mode === "none") return { kept: [...items], dropped: [] };
  const groups = new Map<string, T[]>();
  for (const item of items) groups.set(valueOf(item), [...(groups.get(valueOf(item)) ?? []), item]);
  const quota = new Map<string, number>();
  if (options.mode === "cap") {
    for (const [value, group] of groups) quota.set(value, Math.min(group.length, options.cap));
  } else {
    const sum = Object.values(options.shares).reduce((a, b) => a + b, 0);
    const shares = new Map(
      Object.entries(options.shares)
        .filter(([, s]) => s > 0)
        .map(([v, s]) => [v, s / sum]),
    );
    // The largest n such that every value with a share has n·share images available.
    const n = Math.min(...[...shares].map(([v, s]) => (groups.get(v)?.length ?? 0) / s));
    for (const value of groups.keys())
      quota.set(value, shares.has(value) ? Math.floor(n * shares.get(value)! + 1e-9) : 0);
  }
  const keep = new Set<T>();
  const dropped: { value: string; count: number }[] = [];
  for (const [value, group] of [...groups].sort(([a], [b]) => a.localeCompare(b))) {
    const q = quota.get(value) ?? 0;
    shuffled(group, `${seed}:${value}`)
      .slice(0, q)
      .forEach((item) => keep.add(item));
    if (group.length > q) dropped.push({ value, count: group.length - q });
  }
  return { kept: items.filter((item) => keep.has(item)), dropped };
}
