/**
 * Small-cell protection for one published table of counts of people (a DATASHEET table, a coverage
 * CSV row…) whose total is published too. Framework-free: counts in, what to print out.
 *
 * A reader knows every exact count shown, the total, that "<5" means 0–4 and that "≥5" means at
 * least 5. From those alone they can bound every hidden cell (the hidden cells sum to the total minus
 * the shown ones). Suppression "holds" when, for every hidden small cell, the values consistent with
 * everything published still span at least `minWidth` + 1 integers — so it cannot be derived by
 * subtraction, from the total, or from the other cells. How:
 *  1. nothing is hidden unless some cell holds 1–4 people (a table of large counts and zeros is safe);
 *  2. otherwise every cell under the threshold is hidden, zeros included — an exact "0" next to a "<5"
 *     would tell the reader which categories the hidden people are in;
 *  3. complementary suppression: while a hidden small cell is still pinned too narrowly, the smallest
 *     shown cell is hidden as well (shown "≥5");
 *  4. should every cell be hidden and one still be pinned, the table is withheld.
 */

export type TCountCell = { label: string; count: number };
export type TProtectedCell = TCountCell & {
  /** What to print: the count, "<5" (0–4) or "≥5" (hidden to protect a small cell). */
  shown: string;
  suppressed: "small" | "complementary" | null;
};
export type TSmallCellOptions = {
  /** Counts below this are small (default 5). */
  threshold?: number;
  /** Least width (max − min) of the range a reader can derive for a hidden small cell (default 2). */
  minWidth?: number;
};

/** The range of values of each hidden cell consistent with the published table (exact for box constraints and one sum). */
export function derivableRanges(
  cells: readonly { count: number; suppressed: TProtectedCell["suppressed"] }[],
  threshold: number,
): { lo: number; hi: number }[] {
  const total = cells.reduce((sum, c) => sum + c.count, 0);
  const hiddenSum = cells.reduce((sum, c) => sum + (c.suppressed ? c.count : 0), 0);
  const bounds = cells.map((c) =>
    c.suppressed === "small"
      ? { lo: 0, hi: threshold - 1 }
      : c.suppressed
        ? { lo: threshold, hi: total }
        : { lo: c.count, hi: c.count },
  );
  const hidden = bounds.filter((_, i) => cells[i]!.suppressed);
  const sumLo = hidden.reduce((s, b) => s + b.lo, 0);
  const sumHi = hidden.reduce((s, b) => s + b.hi, 0);
  return bounds.map((b, i) => {
    if (!cells[i]!.suppressed) return b;
    return { lo: Math.max(b.lo, hiddenSum - (sumHi - b.hi)), hi: Math.min(b.hi, hiddenSum - (sumLo - b.lo)) };
  });
}

export function protectSmallCells(
  cells: readonly TCountCell[],
  options: TSmallCellOptions = {},
): { cells: TProtectedCell[]; withheld: boolean } {
  const threshold = options.threshold ?? 5;
  const minWidth = options.minWidth ?? 2;
  const out: TProtectedCell[] = cells.map((c) => ({ ...c, shown: String(c.count), suppressed: null }));
  if (!cells.some((c) => c.count > 0 && c.count < threshold)) return { cells: out, withheld: false };
  for (const c of out) if (c.count < threshold) c.suppressed = "small";
  const weak = () => {
    const ranges = derivableRanges(out, threshold);
    return out.some((c, i) => c.suppressed === "small" && ranges[i]!.hi - ranges[i]!.lo < minWidth);
  };
  while (weak()) {
    const partner = out.filter((c) => !c.suppressed).sort((a, b) => a.count - b.count)[0];
    if (!partner)
      return {
        cells: out.map((c) => ({ ...c, shown: "–", suppressed: c.suppressed ?? "complementary" })),
        withheld: true,
      };
    partner.suppressed = "complementary";
  }
  for (const c of out) if (c.suppressed) c.shown = c.suppressed === "small" ? `<${threshold}` : `≥${threshold}`;
  return { cells: out, withheld: false };
}
