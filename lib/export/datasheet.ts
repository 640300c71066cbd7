/**
 * The dataset's datasheet (README.md shipped in every export): what is in it, how it was filtered and why,
 * and who is in it, in aggregate only. Demographic tables apply small-cell protection (k = 5,
 * lib/privacy/small-cells.ts): counts under 5 are hidden with complementary suppression so none can be
 * derived from the total or the other cells, free-text categories under 5 are pooled, and with fewer
 * than 5 subjects no demographic table is printed at all.
 */
import type { THand } from "@/lib/hand/schema";
import { AGE_BANDS } from "@/lib/subjects/schema";
import { protectSmallCells } from "@/lib/privacy/small-cells";

export const SMALL_CELL = 5;
const NOT_GIVEN = "not given";

type Tally = Record<string, number>;

export interface DatasheetStats {
  counts: { images: number; hands: number; subjects: number };
  handedness: Tally;
  gesture: Tally;
  view: Tally;
  joints: { visible: number; occluded: number; absent: number };
  /** Occluded share of placed (visible + occluded) joints; null with no placed joint. */
  occlusionRate: number | null;
  /** Per subject, never per image or hand. */
  demographics: { ageBand: Tally; sexOrGender: Tally; monkSkinTone: Tally };
}

export type DatasheetItem =
  | { kind: "image"; imageId: string | number; subjectId?: string | null }
  | {
      kind: "hand";
      imageId: string | number;
      subjectId?: string | null;
      hand: Pick<THand, "handedness" | "gesture" | "view" | "keypoints">;
    }
  | {
      kind: "subject";
      subjectId: string;
      ageBand?: string | null;
      sexOrGender?: string | null;
      monkSkinTone?: number | null;
    };

const bump = (t: Tally, key: string) => void (t[key] = (t[key] ?? 0) + 1);

/** Accumulate stats from a stream of per-image, per-hand and per-subject items (any order, repeats allowed). */
export function collectDatasheetStats(items: Iterable<DatasheetItem>): DatasheetStats {
  const tally = createDatasheetTally();
  for (const item of items) tally.add(item);
  return tally.stats();
}

/**
 * The same tally item by item, for a caller that streams its items (an export): only counters, the image ids and
 * the subjects are kept, never the items, so memory stays flat in the number of hands.
 */
export function createDatasheetTally() {
  const images = new Set<string>();
  const subjects = new Map<string, { ageBand: string; sexOrGender: string; monkSkinTone: string } | null>();
  const counts = {
    hands: 0,
    handedness: { left: 0, right: 0, unknown: 0 } as Tally,
    gesture: {} as Tally,
    view: {} as Tally,
    joints: { visible: 0, occluded: 0, absent: 0 },
  };
  const noteSubject = (id: string | null | undefined) => {
    if (id && !subjects.has(id)) subjects.set(id, null);
  };
  return {
    add(item: DatasheetItem) {
      if (item.kind === "subject") {
        subjects.set(item.subjectId, {
          ageBand: item.ageBand || NOT_GIVEN,
          sexOrGender: item.sexOrGender?.trim().toLowerCase() || NOT_GIVEN,
          monkSkinTone: item.monkSkinTone != null ? String(item.monkSkinTone) : NOT_GIVEN,
        });
        return;
      }
      images.add(String(item.imageId));
      noteSubject(item.subjectId);
      if (item.kind === "hand") {
        counts.hands++;
        bump(counts.handedness, item.hand.handedness);
        bump(counts.gesture, item.hand.gesture ?? "not labelled");
        bump(counts.view, item.hand.view ?? "not labelled");
        for (const p of item.hand.keypoints) counts.joints[p.state]++;
      }
    },
    stats(): DatasheetStats {
      const stats: DatasheetStats = {
        counts: { images: images.size, hands: counts.hands, subjects: subjects.size },
        handedness: { ...counts.handedness } as DatasheetStats["handedness"],
        gesture: { ...counts.gesture },
        view: { ...counts.view },
        joints: { ...counts.joints },
        occlusionRate: null,
        demographics: { ageBand: {}, sexOrGender: {}, monkSkinTone: {} },
      };
      const placed = stats.joints.visible + stats.joints.occluded;
      stats.occlusionRate = placed > 0 ? stats.joints.occluded / placed : null;
      for (const d of subjects.values()) {
        bump(stats.demographics.ageBand, d?.ageBand ?? NOT_GIVEN);
        bump(stats.demographics.sexOrGender, d?.sexOrGender ?? NOT_GIVEN);
        bump(stats.demographics.monkSkinTone, d?.monkSkinTone ?? NOT_GIVEN);
      }
      return stats;
    },
  };
}

export interface DatasheetMeta {
  title?: string;
  /** What the dataset may be used for (the consent purpose it was exported under). */
  purpose: string;
  /** The export's filters, e.g. { status: "accepted", "project": "Kitchen hands" }. */
  filters: Record<string, string | number | boolean | readonly string[] | null | undefined>;
  fingertipsBlurred: boolean;
  unblurredReason?: string;
  createdAt?: string;
  formats?: readonly string[];
  splits?: Partial<Record<"train" | "val" | "test", number>>;
}

/** Escape text for a Markdown table cell or line: no pipes, no markup, no line breaks. */
export function mdText(s: string): string {
  return s.replace(/[\\`*_[\]<>|#~]/g, (c) => `\\${c}`).replace(/\s*[\r\n]+\s*/g, " ");
}

const pct = (n: number, total: number) => (total > 0 ? `${((100 * n) / total).toFixed(1)}%` : "–");

function plainTable(title: string, tally: Tally, order?: readonly string[]): string {
  const total = Object.values(tally).reduce((a, b) => a + b, 0);
  const keys = orderKeys(tally, order);
  const rows = keys.map((k) => `| ${mdText(k)} | ${tally[k] ?? 0} | ${pct(tally[k] ?? 0, total)} |`);
  return [`| ${title} | Hands | Share |`, "|---|---:|---:|", ...rows].join("\n");
}

function orderKeys(tally: Tally, order?: readonly string[]): string[] {
  const rest = Object.keys(tally)
    .filter((k) => !order?.includes(k) && k !== NOT_GIVEN && k !== "not labelled")
    .sort((a, b) => (tally[b] ?? 0) - (tally[a] ?? 0) || a.localeCompare(b));
  const tail = [NOT_GIVEN, "not labelled"].filter((k) => k in tally);
  return [...(order ?? []), ...rest, ...tail];
}

export interface SuppressedCell {
  label: string;
  count: number;
  shown: string;
}

/**
 * Small-cell suppression for one table of subject counts (lib/privacy/small-cells: complementary
 * suppression, so no hidden count can be derived from the total or the other cells). Free-text tables
 * pool every category under 5 into one "other" row first (a rare self-description is itself identifying).
 */
export function suppressCells(tally: Tally, order?: readonly string[], pool = false): SuppressedCell[] {
  let t: Tally = { ...tally };
  if (pool) {
    t = {};
    let other = 0;
    for (const [k, n] of Object.entries(tally)) {
      if (n < SMALL_CELL && k !== NOT_GIVEN) other += n;
      else t[k] = n;
    }
    if (other > 0) t["other (pooled, each under 5)"] = other;
  }
  return protectSmallCells(
    orderKeys(t, order).map((label) => ({ label, count: t[label] ?? 0 })),
    { threshold: SMALL_CELL },
  ).cells;
}

function demographicTable(title: string, cells: SuppressedCell[]): string {
  if (cells.every((c) => c.shown === "–"))
    return `${title}: withheld (no table of these counts keeps the small cells from being derived).`;
  return [`| ${title} | Subjects |`, "|---|---:|", ...cells.map((c) => `| ${mdText(c.label)} | ${c.shown} |`)].join(
    "\n",
  );
}

function filterValue(v: DatasheetMeta["filters"][string]): string {
  if (v === null || v === undefined) return "any";
  if (Array.isArray(v)) return v.length ? v.map((x) => mdText(String(x))).join(", ") : "none";
  return mdText(String(v));
}

export function datasheetMarkdown(stats: DatasheetStats, meta: DatasheetMeta): string {
  const out: string[] = [];
  out.push(`# ${mdText(meta.title ?? "Hand-pose dataset")} — datasheet`, "");
  if (meta.createdAt) out.push(`Exported ${mdText(meta.createdAt)}.`, "");
  out.push("## Purpose", "", mdText(meta.purpose) || "Not stated.", "");
  out.push("## Selection", "");
  const filters = Object.entries(meta.filters);
  if (filters.length === 0) out.push("No filters: every eligible, consented image.");
  for (const [k, v] of filters) out.push(`- **${mdText(k)}**: ${filterValue(v)}`);
  out.push("", "Only images whose subject holds active consent covering the purpose above are included.", "");
  if (meta.formats?.length) out.push(`Formats: ${meta.formats.map(mdText).join(", ")}.`, "");

  const { images, hands, subjects } = stats.counts;
  out.push("## Contents", "", "| | Count |", "|---|---:|");
  out.push(`| Images | ${images} |`, `| Hands | ${hands} |`, `| Subjects | ${subjects} |`, "");
  if (meta.splits) {
    out.push(
      "Subject-wise splits (no subject appears in two splits): " +
        (["train", "val", "test"] as const).map((s) => `${s} ${meta.splits?.[s] ?? 0}`).join(", ") +
        " subjects.",
      "",
    );
  }
  out.push(
    "Each hand has 21 keypoints (MediaPipe / COCO-WholeBody order) with a state: visible (v = 2), " +
      "occluded (v = 1, placed where the joint is) or absent (v = 0, at 0,0). Handedness is the person's " +
      "anatomical hand.",
    "",
  );
  out.push("### Handedness", "", plainTable("Handedness", stats.handedness, ["left", "right", "unknown"]), "");
  out.push("### View", "", plainTable("View", stats.view, ["palm", "back", "side"]), "");
  out.push("### Gesture", "", plainTable("Gesture", stats.gesture), "");
  const placed = stats.joints.visible + stats.joints.occluded;
  out.push(
    "### Occlusion",
    "",
    stats.occlusionRate === null
      ? "No joints are placed."
      : `${pct(stats.joints.occluded, placed)} of placed joints are occluded ` +
          `(${stats.joints.occluded} of ${placed}); ${stats.joints.absent} joints are absent.`,
    "",
  );

  out.push("## People (aggregated)", "");
  if (subjects < SMALL_CELL) {
    out.push(`Demographics are withheld: the dataset has fewer than ${SMALL_CELL} subjects.`, "");
  } else {
    out.push(
      `Self-reported, counted once per subject. Where a table has a count of 1–4, every count under ${SMALL_CELL} ` +
        `(zeros too) is shown as "<${SMALL_CELL}", and where a hidden count could still be worked out from the total ` +
        `and the other cells, the smallest other counts are hidden too (shown "≥${SMALL_CELL}").`,
      "",
      "### Age band",
      "",
      demographicTable("Age band", suppressCells(stats.demographics.ageBand, AGE_BANDS)),
      "",
      "### Sex or gender",
      "",
      demographicTable("Sex or gender", suppressCells(stats.demographics.sexOrGender, undefined, true)),
      "",
      "### Skin tone (Monk Skin Tone scale, 1 lightest – 10 darkest)",
      "",
      demographicTable("Monk tone", suppressCells(stats.demographics.monkSkinTone, MONK_ORDER)),
      "",
    );
  }

  out.push("## Privacy", "");
  if (meta.fingertipsBlurred) {
    out.push(
      "Fingertips carry fingerprints, which are biometric data. Every fingertip region (around joints 4, 8, 12, 16, 20 " +
        "and towards their distal joints) is blurred in every image, strongly enough to destroy ridge detail. " +
        "Keypoint positions are unaffected. Do not attempt to restore or enhance these regions.",
    );
  } else {
    out.push(
      "**Warning: fingertips are NOT blurred in this export.** The images may show fingerprint ridges, which are " +
        "biometric data; handle them accordingly.",
      "",
      `Reason recorded by the manager: ${mdText(meta.unblurredReason ?? "") || "none given"}`,
    );
  }
  out.push(
    "",
    "Image metadata (EXIF, including GPS) was stripped at ingest. Subjects are known only by pseudonymous codes.",
    "",
  );
  return out.join("\n");
}

const MONK_ORDER = Array.from({ length: 10 }, (_, i) => String(i + 1));
