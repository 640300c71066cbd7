import { describe, expect, it } from "vitest";
import {
  collectDatasheetStats,
  datasheetMarkdown,
  mdText,
  suppressCells,
  type DatasheetItem,
  type DatasheetMeta,
} from "./datasheet";
import { makeHand } from "./test-fixtures";
import { deriveHidden } from "@/lib/privacy/derive-hidden";

const meta: DatasheetMeta = {
  purpose: "research",
  filters: { status: "accepted", gestures: ["fist"] },
  fingertipsBlurred: true,
};

function items(subjectCount: number): DatasheetItem[] {
  const out: DatasheetItem[] = [];
  for (let s = 0; s < subjectCount; s++) {
    const sid = `S-${s}`;
    out.push({
      kind: "subject",
      subjectId: sid,
      ageBand: s < 6 ? "25-34" : "18-24",
      sexOrGender: s % 2 ? "Female" : "male ",
      monkSkinTone: s === 0 ? 9 : 4,
    });
    out.push({ kind: "image", imageId: `img-${s}-empty`, subjectId: sid });
    out.push({ kind: "hand", imageId: `img-${s}`, subjectId: sid, hand: makeHand({ occluded: [1, 2], absent: [20] }) });
    out.push({
      kind: "hand",
      imageId: `img-${s}`,
      subjectId: sid,
      hand: makeHand({ overrides: { handedness: "left", gesture: null, view: "back" } }),
    });
  }
  return out;
}

describe("collectDatasheetStats", () => {
  it("counts images, hands and subjects once each, and tallies distributions", () => {
    const st = collectDatasheetStats([
      ...items(12),
      { kind: "subject", subjectId: "S-0", ageBand: "25-34", sexOrGender: "male", monkSkinTone: 9 },
    ]);
    expect(st.counts).toEqual({ images: 24, hands: 24, subjects: 12 });
    expect(st.handedness).toEqual({ left: 12, right: 12, unknown: 0 });
    expect(st.view).toEqual({ palm: 12, back: 12 });
    expect(st.gesture).toEqual({ open_palm: 12, "not labelled": 12 });
    expect(st.joints).toEqual({ visible: 12 * 18 + 12 * 21, occluded: 24, absent: 12 });
    expect(st.occlusionRate).toBeCloseTo(24 / (24 * 21 - 12), 10);
    expect(st.demographics.ageBand).toEqual({ "25-34": 6, "18-24": 6 });
    expect(st.demographics.sexOrGender).toEqual({ male: 6, female: 6 });
    expect(st.demographics.monkSkinTone).toEqual({ "9": 1, "4": 11 });
  });

  it("counts a subject seen only through its images as 'not given'", () => {
    const st = collectDatasheetStats([{ kind: "image", imageId: 1, subjectId: "S-x" }]);
    expect(st.demographics.ageBand).toEqual({ "not given": 1 });
    expect(st.occlusionRate).toBeNull();
  });
});

describe("suppressCells", () => {
  it("shows 1–4 as <5, zeros beside them too, and hides a partner only when still needed", () => {
    const cells = suppressCells({ a: 20, b: 7, c: 3, d: 0 });
    expect(Object.fromEntries(cells.map((c) => [c.label, c.shown]))).toEqual({ a: "20", b: "7", c: "<5", d: "<5" });
    const lone = suppressCells({ a: 20, b: 7, c: 3 });
    expect(Object.fromEntries(lone.map((c) => [c.label, c.shown]))).toEqual({ a: "20", b: "≥5", c: "<5" });
  });

  it("needs no partner when two cells are already suppressed", () => {
    const cells = suppressCells({ a: 20, b: 2, c: 3 });
    expect(cells.map((c) => c.shown)).toEqual(["20", "<5", "<5"]);
  });

  it("pools rare free-text answers so the rare label itself is not printed", () => {
    const cells = suppressCells({ female: 9, male: 8, "a rare self-description": 1, "not given": 6 }, undefined, true);
    expect(cells.map((c) => c.label)).not.toContain("a rare self-description");
    expect(cells.find((c) => c.label.startsWith("other"))?.shown).toBe("<5");
  });
});

describe("datasheetMarkdown", () => {
  it("never prints a demographic count below 5", () => {
    const md = datasheetMarkdown(collectDatasheetStats(items(12)), meta);
    const people = md.slice(md.indexOf("## People"), md.indexOf("## Privacy"));
    let rows = 0;
    for (const m of people.matchAll(/^\| [^|]+ \| (\d+) \|$/gm)) {
      rows++;
      const n = Number(m[1]);
      expect(n === 0 || n >= 5).toBe(true);
    }
    expect(rows).toBeGreaterThanOrEqual(8);
    expect(people).toMatch(/\| 9 \| <5 \|/);
    expect(people).toMatch(/\| 4 \| ≥5 \|/);
    expect(people).toMatch(/\| 10 \| <5 \|/); // an exact 0 beside the "<5" would say where that subject is
    expect(people).toContain("| 25-34 | 6 |");
  });

  it("withholds demographics with fewer than 5 subjects", () => {
    const md = datasheetMarkdown(collectDatasheetStats(items(4)), meta);
    expect(md).toContain("Demographics are withheld");
    expect(md).not.toContain("### Age band");
  });

  it("states counts, distributions, occlusion, filters, purpose and the blur note", () => {
    const md = datasheetMarkdown(collectDatasheetStats(items(12)), {
      ...meta,
      splits: { train: 10, val: 1, test: 1 },
      formats: ["COCO"],
    });
    expect(md).toContain("| Images | 24 |");
    expect(md).toContain("| Subjects | 12 |");
    expect(md).toContain("| left | 12 | 50.0% |");
    expect(md).toContain("| back | 12 | 50.0% |");
    expect(md).toMatch(/4\.9% of placed joints are occluded \(24 of 492\)/);
    expect(md).toContain("- **status**: accepted");
    expect(md).toContain("- **gestures**: fist");
    expect(md).toMatch(/## Purpose\n\nresearch/);
    expect(md).toMatch(/blurred in every image/);
    expect(md).toContain("train 10, val 1, test 1");
  });

  it("warns, with the reason, when fingertips are not blurred", () => {
    const md = datasheetMarkdown(collectDatasheetStats([]), {
      ...meta,
      fingertipsBlurred: false,
      unblurredReason: "fingerprint research, ethics ref 12",
    });
    expect(md).toContain("fingertips are NOT blurred");
    expect(md).toContain("ethics ref 12");
  });

  it("escapes user text so it cannot break tables", () => {
    expect(mdText("a|b\n*c*")).toBe("a\\|b \\*c\\*");
    const st = collectDatasheetStats([
      { kind: "hand", imageId: 1, hand: makeHand({ overrides: { gesture: "ok|sign" } }) },
    ]);
    expect(datasheetMarkdown(st, meta)).toContain("| ok\\|sign | 1 | 100.0% |");
  });
});

describe("DATASHEET.md against derivation (lib/privacy/small-cells)", () => {
  /** Every demographic table of the markdown: its printed cells in order. */
  function tables(md: string): string[][] {
    const people = md.slice(md.indexOf("## People"), md.indexOf("## Privacy"));
    return people
      .split("### ")
      .slice(1)
      .map((section) =>
        [...section.matchAll(/^\| [^|]+ \| ([^|]+) \|$/gm)]
          .map((m) => m[1]!.trim())
          .filter((s) => s !== "Subjects" && s !== "---:"),
      );
  }
  const subjects = (tones: number[], ages: string[]): DatasheetItem[] =>
    tones.map((tone, i) => ({
      kind: "subject",
      subjectId: `S-${i}`,
      monkSkinTone: tone,
      ageBand: ages[i % ages.length],
      sexOrGender: i % 3 ? "female" : "male",
    }));

  it("five subjects with five skin tones, and other small, unbalanced projects: no hidden count can be worked out", async () => {
    const projects = [
      subjects([1, 3, 5, 7, 9], ["18-24", "25-34", "35-44", "45-54", "55-64"]),
      subjects([4, 4, 4, 4, 4, 4, 4, 9], ["25-34"]),
      subjects([2, 2, 2, 2, 2, 6, 6, 6, 6, 6, 10], ["18-24", "18-24", "18-24", "18-24", "18-24", "65+"]),
    ];
    for (const project of projects) {
      const md = datasheetMarkdown(collectDatasheetStats(project), meta);
      const found = tables(md);
      expect(found.length).toBe(3);
      for (const cells of found) {
        const derived = deriveHidden(cells, project.length);
        derived.forEach(
          (values, i) =>
            values && cells[i] === "<5" && expect(values.length, cells.join(" ")).toBeGreaterThanOrEqual(3),
        );
        for (const cell of cells)
          if (/^\d+$/.test(cell)) expect(Number(cell) === 0 || Number(cell) >= 5, cells.join(" ")).toBe(true);
      }
    }
  });
});
