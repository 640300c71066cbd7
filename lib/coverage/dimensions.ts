/**
 * The coverage dimensions: what a hand (or the person it belongs to) is counted by. Every dimension
 * reads stored Hand columns (`COVERAGE_COLUMNS`); the demographic ones read the hand's subject, so they
 * are aggregated per hand but come from the person (managers only; small cells are protected whenever
 * they leave the app). Framework-free: the page, the API, the export and the benchmark share it.
 */
import { ZHandInteraction, ZHandView, ZHandedness, type TKeypoint } from "@/lib/hand/schema";
import { AGE_BANDS } from "@/lib/subjects/schema";

/** The stored per-hand columns coverage groups by (Hand model). */
export const COVERAGE_COLUMNS = [
  "skinTone",
  "gesture",
  "view",
  "interaction",
  "handedness",
  "occlusionBand",
  "truncated",
  "imageFlagKey",
  "subjectId",
] as const;
export type TCoverageColumn = (typeof COVERAGE_COLUMNS)[number];
/** One grouped row: the columns it was grouped by (as text, null when unset) and its hand count. */
export type TCubeRow = { key: Partial<Record<TCoverageColumn, string | null>>; count: number };
/** A stored column's value as a cube key: text, booleans as "1"/"0", null when unset. */
export const cubeValue = (value: unknown) =>
  value === null || value === undefined ? null : typeof value === "boolean" ? (value ? "1" : "0") : String(value);
export type TSubjectFacts = { ageBand: string | null; sexOrGender: string | null; monkSkinTone: number | null };
export type TDimensionContext = {
  gestures: readonly string[];
  imageFlags: readonly string[];
  subjects: ReadonlyMap<string, TSubjectFacts>;
};

export const NOT_LABELLED = "not labelled";
export const NOT_GIVEN = "not given";
export const NO_FLAG = "none";

const MONK = Array.from({ length: 10 }, (_, i) => String(i + 1));
/** Monk Skin Tone bands used by targets such as "≥ 300 hands with Monk 8–10". */
export const MONK_BANDS = [
  { id: "1-3", label: "Monk 1–3", tones: [1, 2, 3] },
  { id: "4-7", label: "Monk 4–7", tones: [4, 5, 6, 7] },
  { id: "8-10", label: "Monk 8–10", tones: [8, 9, 10] },
] as const;
const monkBand = (tone: string | number | null | undefined) => {
  const n = Number(tone);
  return MONK_BANDS.find((band) => (band.tones as readonly number[]).includes(n))?.id ?? null;
};

/** Occlusion level of one hand: the share of its 21 joints that are occluded or absent, banded. */
export const OCCLUSION_BANDS = ["none", "low", "medium", "high"] as const;
export function occlusionBand(keypoints: readonly Pick<TKeypoint, "state">[]): (typeof OCCLUSION_BANDS)[number] {
  const hidden = keypoints.filter((p) => p.state !== "visible").length / Math.max(1, keypoints.length);
  if (hidden === 0) return "none";
  if (hidden <= 0.25) return "low";
  if (hidden <= 0.5) return "medium";
  return "high";
}
export const OCCLUSION_LABELS: Record<string, string> = {
  none: "none (all visible)",
  low: "low (≤ 25%)",
  medium: "medium (26–50%)",
  high: "high (> 50%)",
};

/** The image flags of an annotation as stored on its hands: sorted, comma-joined, "" for none. */
export const imageFlagKey = (flags: readonly string[]) => [...new Set(flags)].sort().join(",");

type TDimension = {
  label: string;
  /** The stored column this dimension is read from. */
  column: TCoverageColumn;
  demographic: boolean;
  /** Known values in display order (counted values not listed here are appended). */
  values: (ctx: TDimensionContext) => readonly string[];
  /** The dimension's values for one grouped row: one, except image conditions (a hand may have several). */
  of: (raw: string | null, ctx: TDimensionContext) => string[];
  format?: (value: string) => string;
};

const plain = (raw: string | null) => [raw ?? NOT_LABELLED];
const subject = (pick: (facts: TSubjectFacts) => string | null) => (raw: string | null, ctx: TDimensionContext) => {
  const facts = raw ? ctx.subjects.get(raw) : undefined;
  return [(facts && pick(facts)) || NOT_GIVEN];
};

export const DIMENSIONS = {
  skinTone: {
    label: "Perceived skin tone (Monk)",
    column: "skinTone",
    demographic: false,
    values: () => MONK,
    of: plain,
    format: (v) => (v === NOT_LABELLED ? v : `Monk ${v}`),
  },
  skinToneBand: {
    label: "Perceived skin tone band",
    column: "skinTone",
    demographic: false,
    values: () => MONK_BANDS.map((b) => b.id),
    of: (raw) => [monkBand(raw) ?? NOT_LABELLED],
    format: (v) => MONK_BANDS.find((b) => b.id === v)?.label ?? v,
  },
  gesture: { label: "Gesture", column: "gesture", demographic: false, values: (ctx) => ctx.gestures, of: plain },
  view: { label: "View", column: "view", demographic: false, values: () => ZHandView.options, of: plain },
  interaction: {
    label: "Interaction",
    column: "interaction",
    demographic: false,
    values: () => ZHandInteraction.options,
    of: plain,
    format: (v) => v.replaceAll("_", " "),
  },
  handedness: {
    label: "Handedness",
    column: "handedness",
    demographic: false,
    values: () => ZHandedness.options,
    of: plain,
  },
  occlusion: {
    label: "Occlusion (occluded or absent joints)",
    column: "occlusionBand",
    demographic: false,
    values: () => OCCLUSION_BANDS,
    of: plain,
    format: (v) => OCCLUSION_LABELS[v] ?? v,
  },
  truncation: {
    label: "Truncation",
    column: "truncated",
    demographic: false,
    values: () => ["whole", "truncated"],
    of: (raw) => [raw === "1" || raw === "true" ? "truncated" : "whole"],
  },
  condition: {
    label: "Image conditions (flags)",
    column: "imageFlagKey",
    demographic: false,
    values: (ctx) => [NO_FLAG, ...ctx.imageFlags],
    of: (raw) => (raw ? raw.split(",") : [NO_FLAG]),
    format: (v) => v.replaceAll("_", " "),
  },
  ageBand: {
    label: "Age band (self-reported)",
    column: "subjectId",
    demographic: true,
    values: () => AGE_BANDS,
    of: subject((f) => f.ageBand),
  },
  sexOrGender: {
    label: "Sex or gender (self-described)",
    column: "subjectId",
    demographic: true,
    values: () => [],
    of: subject((f) => f.sexOrGender?.trim().toLowerCase() || null),
  },
  subjectSkinTone: {
    label: "Self-reported skin tone (Monk)",
    column: "subjectId",
    demographic: true,
    values: () => MONK,
    of: subject((f) => (f.monkSkinTone == null ? null : String(f.monkSkinTone))),
    format: (v) => (v === NOT_GIVEN ? v : `Monk ${v}`),
  },
  subjectSkinToneBand: {
    label: "Self-reported skin tone band",
    column: "subjectId",
    demographic: true,
    values: () => MONK_BANDS.map((b) => b.id),
    of: subject((f) => monkBand(f.monkSkinTone)),
    format: (v) => MONK_BANDS.find((b) => b.id === v)?.label ?? v,
  },
} as const satisfies Record<string, TDimension>;

export type TDimensionId = keyof typeof DIMENSIONS;
export const DIMENSION_IDS = Object.keys(DIMENSIONS) as TDimensionId[];
export const isDemographic = (id: TDimensionId) => DIMENSIONS[id].demographic;
export const formatValue = (id: TDimensionId, value: string) =>
  "format" in DIMENSIONS[id] ? (DIMENSIONS[id] as TDimension).format!(value) : value;

/** The stored columns a set of dimensions needs grouped. */
export const columnsOf = (dims: readonly TDimensionId[]) => [...new Set(dims.map((d) => DIMENSIONS[d].column))];

/** Ordered values of a dimension: the known ones first, then any others counted, "not labelled/given" last. */
export function orderedValues(id: TDimensionId, counted: Iterable<string>, ctx: TDimensionContext): string[] {
  const known = [...DIMENSIONS[id].values(ctx)];
  const extra = [...new Set(counted)].filter((v) => !known.includes(v) && v !== NOT_LABELLED && v !== NOT_GIVEN).sort();
  const tail = [...new Set(counted)].filter((v) => v === NOT_LABELLED || v === NOT_GIVEN);
  return [...known, ...extra, ...tail];
}

export type TCell = { values: string[]; hands: number; subjects: Set<string> | null };

/**
 * Counts hands per combination of `dims` from grouped rows (which must have been grouped by at least
 * the dimensions' columns). A hand with two image flags counts once under each. Where rows carry the
 * subject, each cell also knows its distinct subjects (for small-cell protection).
 */
export function tally(
  rows: readonly TCubeRow[],
  dims: readonly TDimensionId[],
  ctx: TDimensionContext,
): Map<string, TCell> {
  const cells = new Map<string, TCell>();
  for (const row of rows) {
    let combos: string[][] = [[]];
    for (const d of dims) {
      const values = DIMENSIONS[d].of(row.key[DIMENSIONS[d].column] ?? null, ctx);
      combos = combos.flatMap((combo) => values.map((v) => [...combo, v]));
    }
    const subjectId = row.key.subjectId;
    for (const combo of combos) {
      const id = combo.join("\u0000");
      const cell = cells.get(id) ?? {
        values: combo,
        hands: 0,
        subjects: subjectId !== undefined ? new Set<string>() : null,
      };
      cell.hands += row.count;
      if (subjectId && cell.subjects) cell.subjects.add(subjectId);
      cells.set(id, cell);
    }
  }
  return cells;
}

export const totalHands = (rows: readonly TCubeRow[]) => rows.reduce((sum, row) => sum + row.count, 0);
