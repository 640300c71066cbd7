/**
 * Dashboard figures for one project, computed from plain facts about its annotations.
 * Pure (no database): lib/server/stats/project-stats.ts reads the facts in batches and feeds them here.
 *
 * Definitions (shown to managers on the dashboard, see FIGURE_DEFINITIONS):
 * - handed in: status submitted, accepted or rejected — the annotation was submitted at least once and
 *   is not a draft, skipped or expired claim. A rejected annotation was handed in and returned.
 * - hands: Hand rows of handed-in annotations. After "fix and accept" these are the reviewer's hands
 *   (the annotator's are kept only inside the review), so counts follow the accepted labels.
 * - active time: the sum of timeSpentMs (time with the workspace in use, idle excluded) of the same
 *   handed-in annotations. Time spent on skipped or expired claims and on open drafts is left out, so
 *   "hands per hour" and "seconds per hand" describe the finished work only.
 * - hands per hour = hands ÷ (active time in hours); "–" without active time.
 * - seconds per hand = active time in seconds ÷ hands; "–" without hands.
 * - decided: an annotation whose status is accepted (by a reviewer, fixed and accepted, or accepted
 *   without review because it was not sampled) or that has at least one review with a decision. An
 *   annotation whose latest decision was "reject" counts as decided and not accepted, also while its
 *   resubmission waits for review again; it becomes accepted when a later review accepts it.
 * - acceptance rate = accepted ÷ decided (accepted = current status accepted).
 * - returned: handed-in annotations that were rejected at least once (any review with decision reject),
 *   whether or not they were accepted later.
 * - mean OKS vs gold: the mean of goldScore (mean OKS against the gold labels, 0..1) over the
 *   annotator's annotations that have one, in any status; "–" when none has.
 * - flag rates: share of handed-in annotations whose quality flags (from the last save) include at
 *   least one "strong" flag, and at least one flag of any severity.
 * - flags by code: every flag occurrence on handed-in annotations (one per hand and finding).
 */
import { z } from "zod";

export const ANNOTATION_STATUS_ORDER = ["draft", "submitted", "accepted", "rejected", "skipped", "expired"] as const;
export const HANDED_IN_STATUSES = ["submitted", "accepted", "rejected"] as const;
const HANDED_IN = new Set<string>(HANDED_IN_STATUSES);

/** One annotation, as the aggregation needs it. */
export type TAnnotationFact = {
  annotatorId: string;
  status: string;
  timeSpentMs: number;
  handCount: number;
  goldScore: number | null;
  /** Model-assisted work: mean px the annotator moved the model's proposal. */
  modelCorrectionPx?: number | null;
  /** The raw qualityFlags JSON column: an array of {code, severity, …}; anything else counts as no flags. */
  qualityFlags: unknown;
  /** Decisions of the annotation's reviews that were decided (undecided claims left out). */
  decisions: string[];
};

/** The annotations of one annotator with one status, summed (the facts of TAnnotationFact, added up). */
export type TAnnotationGroup = {
  annotatorId: string;
  status: string;
  annotations: number;
  /** Accepted or with at least one decided review. */
  decided: number;
  /** With at least one review decided "reject". */
  returned: number;
  hands: number;
  activeMs: number;
  goldCount: number;
  goldSum: number;
  assistedCount: number;
  correctionSum: number;
  /** With at least one quality flag / at least one "strong" flag. */
  anyFlagged: number;
  strongFlagged: number;
};

export type TAnnotatorStats = {
  annotatorId: string;
  name: string;
  /** Annotations of any status, drafts and skips included. */
  annotations: number;
  /** Handed in: submitted + accepted + rejected. */
  submitted: number;
  accepted: number;
  returned: number;
  decided: number;
  skipped: number;
  hands: number;
  activeMs: number;
  handsPerHour: number | null;
  secondsPerHand: number | null;
  acceptanceRate: number | null;
  goldCount: number;
  meanGoldOks: number | null;
  /** Mean correction distance (px) over model-assisted work; null when none. */
  meanModelCorrectionPx: number | null;
  strongFlagged: number;
  anyFlagged: number;
  strongFlagRate: number | null;
  anyFlagRate: number | null;
};

export type TFlagCodeCount = { code: string; strong: number; warning: number; total: number };
export type TStatusCount = { status: string; count: number };
export type TQueueStats = {
  activeImages: number;
  /** Active images with fewer slot-holding annotations than annotationsPerImage. */
  imagesWaiting: number;
  /** The annotations still needed to fill every active image's slots. */
  openSlots: number;
  /** Annotations with status submitted. */
  reviewsWaiting: number;
  annotationsPerImage: number;
};

export type TProjectStats = {
  annotators: TAnnotatorStats[];
  /** The same figures over every annotator of the project. */
  overall: TAnnotatorStats;
  statusCounts: TStatusCount[];
  totalAnnotations: number;
  flagsByCode: TFlagCodeCount[];
  queue: TQueueStats;
};

const ZLooseFlag = z.object({ code: z.string(), severity: z.string() }).loose();

/** The {code, severity} pairs of a qualityFlags value; malformed entries are ignored. */
export function parseFlags(value: unknown): { code: string; severity: "strong" | "warning" }[] {
  if (!Array.isArray(value)) return [];
  const flags: { code: string; severity: "strong" | "warning" }[] = [];
  for (const entry of value) {
    const parsed = ZLooseFlag.safeParse(entry);
    if (parsed.success)
      flags.push({ code: parsed.data.code, severity: parsed.data.severity === "strong" ? "strong" : "warning" });
  }
  return flags;
}

type TCounter = {
  annotations: number;
  submitted: number;
  accepted: number;
  returned: number;
  decided: number;
  skipped: number;
  hands: number;
  activeMs: number;
  goldCount: number;
  goldSum: number;
  assistedCount: number;
  correctionSum: number;
  strongFlagged: number;
  anyFlagged: number;
};
const emptyCounter = (): TCounter => ({
  annotations: 0,
  submitted: 0,
  accepted: 0,
  returned: 0,
  decided: 0,
  skipped: 0,
  hands: 0,
  activeMs: 0,
  goldCount: 0,
  goldSum: 0,
  assistedCount: 0,
  correctionSum: 0,
  strongFlagged: 0,
  anyFlagged: 0,
});

const ratio = (numerator: number, denominator: number): number | null =>
  denominator > 0 ? numerator / denominator : null;

function finish(annotatorId: string, name: string, c: TCounter): TAnnotatorStats {
  return {
    annotatorId,
    name,
    annotations: c.annotations,
    submitted: c.submitted,
    accepted: c.accepted,
    returned: c.returned,
    decided: c.decided,
    skipped: c.skipped,
    hands: c.hands,
    activeMs: c.activeMs,
    handsPerHour: c.activeMs > 0 ? c.hands / (c.activeMs / 3_600_000) : null,
    secondsPerHand: ratio(c.activeMs / 1000, c.hands),
    acceptanceRate: ratio(c.accepted, c.decided),
    goldCount: c.goldCount,
    meanGoldOks: ratio(c.goldSum, c.goldCount),
    meanModelCorrectionPx: ratio(c.correctionSum, c.assistedCount),
    strongFlagged: c.strongFlagged,
    anyFlagged: c.anyFlagged,
    strongFlagRate: ratio(c.strongFlagged, c.submitted),
    anyFlagRate: ratio(c.anyFlagged, c.submitted),
  };
}

/** Accumulates annotation facts one by one (so the server can read them in batches), then finishes. */
export function createStatsAccumulator() {
  const perAnnotator = new Map<string, TCounter>();
  const overall = emptyCounter();
  const statuses = new Map<string, number>();
  const flags = new Map<string, TFlagCodeCount>();

  function add(fact: TAnnotationFact) {
    statuses.set(fact.status, (statuses.get(fact.status) ?? 0) + 1);
    let counter = perAnnotator.get(fact.annotatorId);
    if (!counter) perAnnotator.set(fact.annotatorId, (counter = emptyCounter()));
    const handedIn = HANDED_IN.has(fact.status);
    const accepted = fact.status === "accepted";
    const decided = accepted || fact.decisions.length > 0;
    const returned = handedIn && fact.decisions.includes("reject");
    const parsed = handedIn ? parseFlags(fact.qualityFlags) : [];
    const strong = parsed.some((f) => f.severity === "strong");
    const gold = typeof fact.goldScore === "number" && Number.isFinite(fact.goldScore);
    for (const c of [counter, overall]) {
      c.annotations += 1;
      if (fact.status === "skipped") c.skipped += 1;
      if (gold) {
        c.goldCount += 1;
        c.goldSum += fact.goldScore!;
      }
      if (typeof fact.modelCorrectionPx === "number") {
        c.assistedCount += 1;
        c.correctionSum += fact.modelCorrectionPx;
      }
      if (decided) c.decided += 1;
      if (accepted) c.accepted += 1;
      if (!handedIn) continue;
      c.submitted += 1;
      if (returned) c.returned += 1;
      c.hands += fact.handCount;
      c.activeMs += Math.max(0, fact.timeSpentMs);
      if (parsed.length) c.anyFlagged += 1;
      if (strong) c.strongFlagged += 1;
    }
    for (const f of parsed) {
      let row = flags.get(f.code);
      if (!row) flags.set(f.code, (row = { code: f.code, strong: 0, warning: 0, total: 0 }));
      row[f.severity] += 1;
      row.total += 1;
    }
  }

  /**
   * Adds figures already summed by the database over the annotations of one annotator with one status
   * (lib/server/stats/project-stats.ts): the same counters `add` keeps, without reading each annotation.
   */
  function addGroup(group: TAnnotationGroup) {
    statuses.set(group.status, (statuses.get(group.status) ?? 0) + group.annotations);
    let counter = perAnnotator.get(group.annotatorId);
    if (!counter) perAnnotator.set(group.annotatorId, (counter = emptyCounter()));
    const handedIn = HANDED_IN.has(group.status);
    for (const c of [counter, overall]) {
      c.annotations += group.annotations;
      if (group.status === "skipped") c.skipped += group.annotations;
      c.goldCount += group.goldCount;
      c.goldSum += group.goldSum;
      c.assistedCount += group.assistedCount;
      c.correctionSum += group.correctionSum;
      c.decided += group.decided;
      if (group.status === "accepted") c.accepted += group.annotations;
      if (!handedIn) continue;
      c.submitted += group.annotations;
      c.returned += group.returned;
      c.hands += group.hands;
      c.activeMs += group.activeMs;
      c.anyFlagged += group.anyFlagged;
      c.strongFlagged += group.strongFlagged;
    }
  }

  /** Adds flag occurrences counted by the database (handed-in annotations only, as `add` counts them). */
  function addFlagCount(code: string, severity: "strong" | "warning", count: number) {
    let row = flags.get(code);
    if (!row) flags.set(code, (row = { code, strong: 0, warning: 0, total: 0 }));
    row[severity] += count;
    row.total += count;
  }

  function result(names: Map<string, string>, queue: TQueueStats): TProjectStats {
    const annotators = [...perAnnotator]
      .map(([id, c]) => finish(id, names.get(id) ?? "(unknown person)", c))
      .sort((a, b) => a.name.localeCompare(b.name) || a.annotatorId.localeCompare(b.annotatorId));
    const known = new Set<string>(ANNOTATION_STATUS_ORDER);
    const statusCounts: TStatusCount[] = [
      ...ANNOTATION_STATUS_ORDER.map((status) => ({ status, count: statuses.get(status) ?? 0 })),
      ...[...statuses]
        .filter(([status]) => !known.has(status))
        .sort(([a], [b]) => a.localeCompare(b))
        .map(([status, count]) => ({ status, count })),
    ];
    return {
      annotators,
      overall: finish("", "All annotators", overall),
      statusCounts,
      totalAnnotations: overall.annotations,
      flagsByCode: [...flags.values()].sort((a, b) => b.total - a.total || a.code.localeCompare(b.code)),
      queue,
    };
  }

  /** The annotators seen so far, to look their names up before finishing. */
  const annotatorIds = () => [...perAnnotator.keys()];

  return { add, addGroup, addFlagCount, annotatorIds, result };
}

/** Convenience for tests and small inputs: aggregates a whole list at once. */
export function aggregateProjectStats(
  facts: TAnnotationFact[],
  names: Map<string, string>,
  queue: TQueueStats,
): TProjectStats {
  const accumulator = createStatsAccumulator();
  for (const fact of facts) accumulator.add(fact);
  return accumulator.result(names, queue);
}

/**
 * Queue figures from a histogram of active images by their number of slot-holding annotations
 * (draft, submitted, accepted, rejected): `{ held: 0, images: 12 }` = 12 active images without any.
 */
export function queueFromSlotHistogram(
  histogram: { held: number; images: number }[],
  annotationsPerImage: number,
  reviewsWaiting: number,
): TQueueStats {
  const k = Math.max(1, annotationsPerImage);
  let activeImages = 0;
  let imagesWaiting = 0;
  let openSlots = 0;
  for (const { held, images } of histogram) {
    activeImages += images;
    if (held < k) {
      imagesWaiting += images;
      openSlots += (k - held) * images;
    }
  }
  return { activeImages, imagesWaiting, openSlots, reviewsWaiting, annotationsPerImage: k };
}

/** Display helpers shared by the dashboard's table and cards. "–" stands for "no data". */
export const NO_DATA = "–";
export function formatPercent(value: number | null): string {
  return value === null ? NO_DATA : `${(value * 100).toFixed(value === 0 || value === 1 ? 0 : 1)} %`;
}
export function formatNumber(value: number | null, digits = 1): string {
  return value === null ? NO_DATA : value.toFixed(digits);
}
