/**
 * What a finished export holds, in words for the Exports page: subjects per split (realised by the
 * same largest-remainder rule the export used, lib/export/splits.ts) and warnings for an empty export
 * or an empty split, so a manager never downloads a dataset without learning it lacks a test set.
 */
import { SPLITS, splitCounts, type Split, type SplitRatios } from "./splits";

export type TExportSummary = { subjectsPerSplit: Record<Split, number> | null; warnings: string[] };

const pluralise = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

export function exportSummary(
  counts: { images: number; subjects: number },
  ratios: SplitRatios | null,
): TExportSummary {
  if (counts.images === 0) {
    return {
      subjectsPerSplit: null,
      warnings: [
        "This export is empty: no image qualified. Check the labels' statuses and the subjects' consent (see what was left out).",
      ],
    };
  }
  if (!ratios) return { subjectsPerSplit: null, warnings: [] };
  const perSplit = splitCounts(counts.subjects, ratios);
  const warnings = SPLITS.filter((split) => perSplit[split] === 0 && ratios[split] > 0).map(
    (split) =>
      `The ${split} split is empty: ${pluralise(counts.subjects, "subject")} are too few for a ${Math.round((ratios[split] / (ratios.train + ratios.val + ratios.test)) * 100)} % share (splits go by subject).`,
  );
  if (ratios.test === 0) warnings.push("No test split was requested: evaluate on data kept out of this export.");
  return { subjectsPerSplit: perSplit, warnings };
}
