/**
 * DATASHEET.md's coverage section: the exported dataset measured against the project's targets, and
 * what balancing dropped. Counts about people (demographic cells) go through small-cell protection.
 */
import { mdText } from "@/lib/export/datasheet";
import { DIMENSIONS } from "./dimensions";
import type { TBalanceOptions } from "./balance";
import { protectSmallCells } from "@/lib/privacy/small-cells";
import { protectedCount } from "./small-cells";
import type { TProgressLine } from "./targets";

export type TBalanceSummary = {
  options: TBalanceOptions;
  seed: number;
  before: number;
  after: number;
  dropped: { value: string; label: string; count: number }[];
};

const pct = (n: number) => `${(n * 100).toFixed(1)}%`;

export function coverageDatasheetSection(lines: readonly TProgressLine[], balance: TBalanceSummary | null): string {
  const out: string[] = ["## Coverage against the project's targets", ""];
  if (lines.length === 0) out.push("The project has set no coverage targets.", "");
  else {
    out.push(
      "Counted over the hands in this dataset. Cells that involve self-reported demographics with fewer than 5 people show “<5”.",
      "",
    );
    out.push("| Target | Hands | In this dataset | Wanted | Met |", "|---|---|---:|---:|---|");
    for (const line of lines) {
      const count = line.demographic ? protectedCount(line.hands, line.subjects) : String(line.hands);
      const now =
        line.kind === "min_count" || count.startsWith("<")
          ? count
          : `${count} (${pct(line.total ? line.hands / line.total : 0)})`;
      const want =
        line.kind === "min_count" ? `≥ ${line.want}` : `${line.kind === "max_share" ? "≤" : "≥"} ${pct(line.want)}`;
      const met = line.met
        ? "yes"
        : line.kind === "max_share"
          ? `no: ${line.demographic ? "over" : `${line.gap} over`}`
          : `no: ${line.demographic && count.startsWith("<") ? "short" : `${line.gap} short`}`;
      out.push(`| ${mdText(line.targetName)} | ${mdText(line.cellLabel)} | ${now} | ${want} | ${met} |`);
    }
    out.push("");
  }
  out.push("## Balancing", "");
  if (!balance || balance.options.mode === "none") out.push("None: every eligible image is included.", "");
  else {
    const dimension = DIMENSIONS[balance.options.dimension];
    const how =
      balance.options.mode === "cap"
        ? `each value of ${mdText(dimension.label.toLowerCase())} capped at ${balance.options.cap} images`
        : `sampled to the shares ${Object.entries(balance.options.shares)
            .map(([v, s]) => `${mdText(v)} ${pct(s)}`)
            .join(", ")} of ${mdText(dimension.label.toLowerCase())}`;
    out.push(
      `Images were balanced: ${how} (an image counts under its first hand's value), with seed ${balance.seed}; the same options and seed select the same images.`,
      "",
    );
    out.push(
      `${balance.before} eligible images, ${balance.after} kept, ${balance.before - balance.after} dropped.`,
      "",
    );
    if (balance.dropped.length) {
      // The rows partition a published total (images dropped), so demographic counts need complementary
      // suppression: a lone "<5" beside exact counts would be undone by subtraction.
      const rows = dimension.demographic
        ? protectSmallCells(balance.dropped.map((d) => ({ label: d.label, count: d.count })))
        : { cells: balance.dropped.map((d) => ({ label: d.label, shown: String(d.count) })), withheld: false };
      if (rows.withheld) out.push("Per value: withheld (too few people to publish safely).");
      else {
        out.push("| Value | Images dropped |", "|---|---:|");
        for (const cell of rows.cells) out.push(`| ${mdText(cell.label)} | ${cell.shown} |`);
      }
      out.push("");
    }
  }
  return out.join("\n");
}
