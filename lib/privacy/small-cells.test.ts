import { describe, expect, it } from "vitest";
import { protectSmallCells, type TCountCell } from "./small-cells";
import { deriveHidden } from "./derive-hidden";

const table = (counts: number[]): TCountCell[] => counts.map((count, i) => ({ label: String(i + 1), count }));

function attack(counts: number[]) {
  const { cells, withheld } = protectSmallCells(table(counts));
  const total = counts.reduce((a, b) => a + b, 0);
  const shown = cells.map((c) => c.shown);
  return { shown, withheld, derived: withheld ? [] : deriveHidden(shown, total) };
}

describe("protectSmallCells against derivation from the total and the other cells", () => {
  it("five subjects with five different skin tones: no tone's count can be worked out", () => {
    const { shown, derived } = attack([0, 1, 0, 1, 1, 0, 1, 0, 1, 0]);
    expect(shown.every((s) => s === "<5")).toBe(true); // zeros too: an exact 0 would say where the five are
    for (const values of derived) expect(values!.length).toBeGreaterThanOrEqual(3);
    expect(derived[1]).toContain(0); // the reader cannot even tell tone 2 is present
  });

  it("the naive way (only 1–4 hidden, zeros exact) is what the attacker undoes", () => {
    const naive = [0, 1, 0, 1, 1, 0, 1, 0, 1, 0].map((n) => (n > 0 && n < 5 ? "<5" : String(n)));
    const derived = deriveHidden(naive, 5, 1); // there, "<5" meant 1–4: zeros were printed

    expect(derived.filter(Boolean).every((values) => values!.length === 1 && values![0] === 1)).toBe(true);
  });

  it("one small cell beside large ones gets a complementary partner", () => {
    const { shown, derived } = attack([20, 1]);
    expect(shown).toEqual(["≥5", "<5"]);
    expect(derived[1]!.length).toBeGreaterThanOrEqual(3);
    expect(derived[0]!.length).toBeGreaterThanOrEqual(3);
  });

  it("holds on unbalanced tables of the datasheet's shape (ten skin tones, eight age bands)", () => {
    for (const counts of [
      [40, 1, 0, 0, 0, 0, 0, 0, 0, 0],
      [0, 0, 0, 30, 2, 2, 0, 0, 0, 1],
      [5, 5, 5, 5, 1, 0, 0, 0],
      [6, 0, 0, 0, 0, 0, 0, 4],
      [1, 1, 1, 1, 1, 1, 1, 1, 1, 50],
    ]) {
      const { shown, derived } = attack(counts);
      derived.forEach(
        (values, i) =>
          values && shown[i] === "<5" && expect(values.length, `${counts} → ${shown}`).toBeGreaterThanOrEqual(3),
      );
    }
  });

  it("leaves a table of large counts and zeros exact", () => {
    expect(attack([12, 0, 7, 5]).shown).toEqual(["12", "0", "7", "5"]);
  });

  it("holds on many small and unbalanced tables (exhaustive over small totals)", () => {
    let tables = 0;
    // Every table of 2–4 categories with counts 0–7.
    for (let k = 2; k <= 4; k++) {
      const counts = Array(k).fill(0);
      for (;;) {
        const total = counts.reduce((a, b) => a + b, 0);
        if (total >= 5) {
          const { shown, withheld, derived } = attack(counts);
          tables++;
          if (!withheld) {
            derived.forEach((values, i) => {
              if (values && shown[i] === "<5") expect(values.length, `${counts} → ${shown}`).toBeGreaterThanOrEqual(3);
            });
            for (const s of shown)
              if (/^\d+$/.test(s)) expect(Number(s) === 0 || Number(s) >= 5, `${counts} → ${shown}`).toBe(true);
            // The true count is always among the values the reader must consider.
            derived.forEach((values, i) => values && expect(values).toContain(counts[i]));
          }
        }
        let j = 0;
        while (j < k && counts[j] === 7) counts[j++] = 0;
        if (j === k) break;
        counts[j]++;
      }
    }
    expect(tables).toBeGreaterThan(4_000);
  });
});
