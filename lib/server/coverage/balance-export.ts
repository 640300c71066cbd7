import "server-only";
import { balanceItems, type TBalanceOptions } from "@/lib/coverage/balance";
import type { TBalanceSummary } from "@/lib/coverage/datasheet-section";
import { DIMENSIONS, NOT_LABELLED, formatValue, type TDimensionId } from "@/lib/coverage/dimensions";
import { db } from "@/lib/server/db";
import { backfillHandCoverage } from "./hand-columns";

export type TBalanceReport = TBalanceSummary;

const CHUNK = 500;

/**
 * The export's balancing step (ZExportOptions.balance): each image counts under its first hand's value
 * of the chosen dimension (no hands: "not labelled"), then lib/coverage/balance.ts caps or samples with
 * the export's seed. Returns what was kept and, per value, how many images were dropped.
 */
export async function balanceExportItems<T extends { annotationId: string; subjectId: string }>(
  items: T[],
  options: TBalanceOptions,
  seed: number,
): Promise<{ kept: T[]; report: TBalanceReport | null }> {
  if (options.mode === "none") return { kept: items, report: null };
  const dimension: TDimensionId = options.dimension;
  const column = DIMENSIONS[dimension].column;
  await backfillHandCoverage();
  const raw = new Map<string, string | null>();
  for (let i = 0; i < items.length; i += CHUNK) {
    const hands = await db.hand.findMany({
      where: { annotationId: { in: items.slice(i, i + CHUNK).map((item) => item.annotationId) }, position: 0 },
      select: { annotationId: true, [column]: true },
    });
    for (const hand of hands as Record<string, unknown>[]) {
      const value = hand[column];
      raw.set(
        hand.annotationId as string,
        value === null || value === undefined ? null : typeof value === "boolean" ? (value ? "1" : "0") : String(value),
      );
    }
  }
  const subjects = DIMENSIONS[dimension].demographic
    ? new Map(
        (
          await db.subject.findMany({
            where: { id: { in: [...new Set(items.map((i) => i.subjectId))] } },
            select: { id: true, ageBand: true, sexOrGender: true, monkSkinTone: true },
          })
        ).map((s) => [s.id, s]),
      )
    : new Map();
  const ctx = { gestures: [], imageFlags: [], subjects };
  const valueOf = (item: T) => {
    if (!raw.has(item.annotationId)) return NOT_LABELLED;
    const key = DIMENSIONS[dimension].demographic ? item.subjectId : (raw.get(item.annotationId) ?? null);
    return DIMENSIONS[dimension].of(key, ctx)[0];
  };
  const { kept, dropped } = balanceItems(items, valueOf, options, seed);
  return {
    kept,
    report: {
      options,
      seed,
      before: items.length,
      after: kept.length,
      dropped: dropped.map((d) => ({ ...d, label: formatValue(dimension, d.value) })),
    },
  };
}

/**
 * What balancing left out, for the manifest: per value, except over a demographic dimension, where only
 * the total leaves the app (per-value counts of people's images could be small cells).
 */
export function balancingLeftOut(report: TBalanceReport | null): [string, number][] {
  if (!report || report.options.mode === "none" || report.dropped.length === 0) return [];
  const dimension = DIMENSIONS[report.options.dimension];
  const why = report.options.mode === "cap" ? `over the cap of ${report.options.cap} images` : "over the target share";
  if (dimension.demographic)
    return [[`Balancing by ${dimension.label.toLowerCase()}: ${why}`, report.before - report.after]];
  return report.dropped.map((d) => [`Balancing by ${dimension.label.toLowerCase()}: ${d.label} ${why}`, d.count]);
}
