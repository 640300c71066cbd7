/**
 * Coverage targets: "≥ 300 hands with Monk 8–10", "≥ 150 palm-view hands holding an object, each
 * skin-tone band", "≤ 20% of hands with gesture 'palm'". A target names a cell (every listed dimension
 * must match one of its values; an empty cell is every hand) and optionally a dimension whose every
 * value gets the target separately. Progress and gaps are computed here from grouped counts.
 */
import { z } from "zod";
import {
  DIMENSION_IDS,
  DIMENSIONS,
  NOT_GIVEN,
  NOT_LABELLED,
  formatValue,
  isDemographic,
  orderedValues,
  tally,
  totalHands,
  type TCubeRow,
  type TDimensionContext,
  type TDimensionId,
} from "./dimensions";

/** Dimensions whose values are fixed (not the project's own lists or free text): a target's values must be among them. */
const OPEN_DIMENSIONS: readonly TDimensionId[] = ["gesture", "condition", "sexOrGender"];
const fixedValues = (d: TDimensionId) => [
  ...DIMENSIONS[d].values({ gestures: [], imageFlags: [], subjects: new Map() }),
  NOT_LABELLED,
  NOT_GIVEN,
];

export const TARGET_KINDS = ["min_count", "max_share", "min_share"] as const;
export const TARGET_KIND_LABELS: Record<(typeof TARGET_KINDS)[number], string> = {
  min_count: "at least N hands",
  max_share: "at most a share of hands",
  min_share: "at least a share of hands",
};

const ZDimension = z.enum(DIMENSION_IDS as [TDimensionId, ...TDimensionId[]]);

export const ZTargetInput = z
  .object({
    name: z.string().trim().min(1, "Give the target a name").max(120),
    kind: z.enum(TARGET_KINDS),
    /** Hands for min_count; a share from 0 to 1 otherwise. */
    value: z.number().finite(),
    cell: z
      .partialRecord(ZDimension, z.array(z.string().trim().min(1).max(80)).min(1, "Choose at least one value").max(50))
      .default({}),
    each: ZDimension.nullable().default(null),
  })
  .superRefine((target, ctx) => {
    if (
      target.kind === "min_count" &&
      (!Number.isInteger(target.value) || target.value < 1 || target.value > 10_000_000)
    ) {
      ctx.addIssue({ code: "custom", path: ["value"], message: "A hand count is a whole number from 1" });
    }
    if (target.kind !== "min_count" && !(target.value > 0 && target.value < 1)) {
      ctx.addIssue({ code: "custom", path: ["value"], message: "A share is between 0 and 1 (e.g. 0.2 for 20%)" });
    }
    for (const [d, values] of Object.entries(target.cell) as [TDimensionId, string[]][]) {
      if (OPEN_DIMENSIONS.includes(d)) continue;
      const unknown = values.filter((v) => !fixedValues(d).includes(v));
      if (unknown.length)
        ctx.addIssue({
          code: "custom",
          path: ["cell", d],
          message: `Not a value of ${DIMENSIONS[d].label.toLowerCase()}: ${unknown.join(", ")} (use ${fixedValues(d).slice(0, -2).join(", ")})`,
        });
    }
    if (target.each && target.cell[target.each])
      ctx.addIssue({ code: "custom", path: ["each"], message: "“Each” cannot also be fixed in the cell" });
    if (target.kind !== "min_count" && Object.keys(target.cell).length === 0)
      ctx.addIssue({ code: "custom", path: ["cell"], message: "A share target needs a cell (e.g. gesture = palm)" });
  });
export type TTargetInput = z.infer<typeof ZTargetInput>;
export type TTarget = TTargetInput & { id: string };

/** Every dimension a target reads. */
export const targetDimensions = (t: Pick<TTarget, "cell" | "each">) => [
  ...new Set([...(Object.keys(t.cell) as TDimensionId[]), ...(t.each ? [t.each] : [])]),
];

export type TProgressLine = {
  targetId: string;
  targetName: string;
  kind: TTarget["kind"];
  /** The cell in words, e.g. "View: palm · Interaction: holding object · Perceived skin tone band: Monk 8–10". */
  cellLabel: string;
  /** Dimension → value of this line's cell (the target's own cell plus its "each" value). */
  cell: Partial<Record<TDimensionId, string[]>>;
  hands: number;
  /** Distinct subjects in the cell, when known (for small-cell protection of demographic cells). */
  subjects: number | null;
  total: number;
  /** Hands for min_count; a share for the share kinds. */
  want: number;
  met: boolean;
  /** Hands still to add (min_count, min_share) or hands over the limit (max_share); 0 when met. */
  gap: number;
  /** 0..1: how far along (1 when met). */
  progress: number;
  demographic: boolean;
};

const describe = (cell: Partial<Record<TDimensionId, string[]>>) =>
  (Object.entries(cell) as [TDimensionId, string[]][])
    .map(([d, values]) => `${DIMENSIONS[d].label}: ${values.map((v) => formatValue(d, v)).join(" or ")}`)
    .join(" · ") || "All hands";

/**
 * Progress of one target over grouped rows (grouped by at least the target's columns; with the subject
 * column too when the target involves demographics). One line per value of `each`, else one line.
 */
export function targetProgress(target: TTarget, rows: readonly TCubeRow[], ctx: TDimensionContext): TProgressLine[] {
  const dims = targetDimensions(target);
  const cells = tally(rows, dims, ctx);
  const total = totalHands(rows);
  const inCell = (values: string[], except?: TDimensionId) =>
    dims.every((d, i) => d === except || !target.cell[d] || target.cell[d]!.includes(values[i]));
  const eachValues = target.each
    ? orderedValues(
        target.each,
        [...cells.values()].map((c) => c.values[dims.indexOf(target.each!)]),
        ctx,
      )
    : [null];
  const demographic = dims.some(isDemographic);
  return eachValues.map((eachValue) => {
    let hands = 0;
    const subjects = new Set<string>();
    let subjectsKnown = true;
    for (const c of cells.values()) {
      if (!inCell(c.values)) continue;
      if (target.each && c.values[dims.indexOf(target.each)] !== eachValue) continue;
      hands += c.hands;
      if (c.subjects) c.subjects.forEach((s) => subjects.add(s));
      else subjectsKnown = false;
    }
    const cell = { ...target.cell, ...(target.each && eachValue !== null ? { [target.each]: [eachValue] } : {}) };
    const line = measure(target, hands, total);
    return {
      targetId: target.id,
      targetName: target.name,
      kind: target.kind,
      cellLabel: describe(cell),
      cell,
      hands,
      subjects: subjectsKnown ? subjects.size : null,
      total,
      want: target.value,
      demographic,
      ...line,
    };
  });
}

/** Met, gap (in hands) and progress of a count against a target. */
export function measure(
  target: Pick<TTarget, "kind" | "value">,
  hands: number,
  total: number,
): { met: boolean; gap: number; progress: number } {
  if (target.kind === "min_count") {
    const gap = Math.max(0, target.value - hands);
    return { met: gap === 0, gap, progress: Math.min(1, hands / target.value) };
  }
  const share = total > 0 ? hands / total : 0;
  if (target.kind === "min_share") {
    // x more hands in the cell: (hands + x) / (total + x) ≥ s  ⇔  x ≥ (s·total − hands) / (1 − s)
    const gap = Math.max(0, Math.ceil((target.value * total - hands) / (1 - target.value) - 1e-9));
    return { met: gap === 0, gap, progress: Math.min(1, share / target.value) };
  }
  // max_share: hands over the limit at the current total.
  const gap = Math.max(0, Math.ceil(hands - target.value * total - 1e-9));
  return {
    met: gap === 0,
    gap,
    progress: gap === 0 ? 1 : Math.max(0, 1 - (share - target.value) / (1 - target.value)),
  };
}

/** Unmet lines first, the largest gap first; met lines after, least progress first. */
export function byLargestGap(lines: readonly TProgressLine[]): TProgressLine[] {
  return [...lines].sort(
    (a, b) =>
      Number(a.met) - Number(b.met) ||
      b.gap - a.gap ||
      a.progress - b.progress ||
      a.cellLabel.localeCompare(b.cellLabel),
  );
}
