/**
 * What one annotation adds to its project's dashboard rollup (AnnotationRollup and FlagRollup): the figures of
 * TAnnotationGroup for a single annotation, and its flag occurrences. Pure. The server stores each annotation's
 * contribution beside it (Annotation.rollup) and applies the difference between the stored and the fresh one
 * to the rollup, so the rollup always equals the sum over the annotations (lib/server/stats/annotation-rollup.ts).
 * Definitions are those of lib/stats/aggregate.ts; activeMs counts every status here, as the SQL recomputation
 * does (the accumulator reads it only for handed-in statuses).
 */
import { z } from "zod";
import { HANDED_IN_STATUSES, parseFlags, type TAnnotationFact, type TAnnotationGroup } from "@/lib/stats/aggregate";

const HANDED_IN = new Set<string>(HANDED_IN_STATUSES);

export const ROLLUP_FIGURES = [
  "annotations",
  "decided",
  "returned",
  "hands",
  "activeMs",
  "goldCount",
  "goldSum",
  "assistedCount",
  "correctionSum",
  "anyFlagged",
  "strongFlagged",
] as const satisfies readonly (keyof TAnnotationGroup)[];
export type TRollupFigure = (typeof ROLLUP_FIGURES)[number];
export type TRollupFigures = Record<TRollupFigure, number>;

/** The stored contribution: figures and flag occurrences ("code\u0000severity" → count). */
export const ZContribution = z.object({
  annotatorId: z.string(),
  status: z.string(),
  figures: z.record(z.enum(ROLLUP_FIGURES), z.number()),
  flags: z.record(z.string(), z.number().int()),
});
export type TContribution = z.infer<typeof ZContribution>;

export const flagKey = (code: string, severity: "strong" | "warning") => `${code}\u0000${severity}`;
export function splitFlagKey(key: string): { code: string; severity: "strong" | "warning" } {
  const cut = key.lastIndexOf("\u0000");
  return { code: key.slice(0, cut), severity: key.slice(cut + 1) === "strong" ? "strong" : "warning" };
}

export function annotationContribution(fact: TAnnotationFact): TContribution {
  const handedIn = HANDED_IN.has(fact.status);
  const parsed = handedIn ? parseFlags(fact.qualityFlags) : [];
  const gold = typeof fact.goldScore === "number" && Number.isFinite(fact.goldScore);
  const assisted = typeof fact.modelCorrectionPx === "number" && Number.isFinite(fact.modelCorrectionPx);
  const figures: TRollupFigures = {
    annotations: 1,
    decided: fact.status === "accepted" || fact.decisions.length > 0 ? 1 : 0,
    returned: handedIn && fact.decisions.includes("reject") ? 1 : 0,
    hands: handedIn ? fact.handCount : 0,
    activeMs: Math.max(0, fact.timeSpentMs),
    goldCount: gold ? 1 : 0,
    goldSum: gold ? fact.goldScore! : 0,
    assistedCount: assisted ? 1 : 0,
    correctionSum: assisted ? fact.modelCorrectionPx! : 0,
    anyFlagged: parsed.length ? 1 : 0,
    strongFlagged: parsed.some((f) => f.severity === "strong") ? 1 : 0,
  };
  const flags: Record<string, number> = {};
  for (const f of parsed) flags[flagKey(f.code, f.severity)] = (flags[flagKey(f.code, f.severity)] ?? 0) + 1;
  return { annotatorId: fact.annotatorId, status: fact.status, figures, flags };
}

export type TRollupDelta = {
  groups: { annotatorId: string; status: string; figures: TRollupFigures }[];
  flags: { code: string; severity: "strong" | "warning"; n: number }[];
};

/**
 * The increments that turn the rollup with the `before` contributions into the rollup with the `after` ones
 * (null: the annotation is not counted), merged by key; all-zero rows are left out.
 */
export function rollupDelta(changes: { before: TContribution | null; after: TContribution | null }[]): TRollupDelta {
  const groups = new Map<string, { annotatorId: string; status: string; figures: TRollupFigures }>();
  const flags = new Map<string, number>();
  const apply = (c: TContribution | null, sign: 1 | -1) => {
    if (!c) return;
    const key = `${c.annotatorId}\u0000${c.status}`;
    let row = groups.get(key);
    if (!row) {
      const figures = Object.fromEntries(ROLLUP_FIGURES.map((f) => [f, 0])) as TRollupFigures;
      groups.set(key, (row = { annotatorId: c.annotatorId, status: c.status, figures }));
    }
    for (const f of ROLLUP_FIGURES) row.figures[f] += sign * (c.figures[f] ?? 0);
    for (const [k, n] of Object.entries(c.flags)) flags.set(k, (flags.get(k) ?? 0) + sign * n);
  };
  for (const { before, after } of changes) {
    apply(before, -1);
    apply(after, 1);
  }
  return {
    groups: [...groups.values()].filter((g) => ROLLUP_FIGURES.some((f) => g.figures[f] !== 0)),
    flags: [...flags]
      .filter(([, n]) => n !== 0)
      .map(([key, n]) => ({ ...splitFlagKey(key), n }))
      .sort((a, b) => a.code.localeCompare(b.code) || a.severity.localeCompare(b.severity)),
  };
}
