import { describe, expect, it } from "vitest";
import { balanceItems } from "./balance";
import { occlusionBand, tally, type TCubeRow } from "./dimensions";
import { shotList, shotListCsv } from "./shot-list";
import { imageCoverageStages, type TLabelling } from "./stage";
import { measure, targetProgress, ZTargetInput } from "./targets";

const ctx = {
  gestures: ["open_palm", "fist"],
  imageFlags: ["blurry"],
  subjects: new Map([
    ["s1", { ageBand: "65+", sexOrGender: "Female", monkSkinTone: 9 }],
    ["s2", { ageBand: null, sexOrGender: null, monkSkinTone: 2 }],
  ]),
};
const state = (hidden: number) =>
  Array.from({ length: 21 }, (_, i) => ({ state: i < hidden ? ("occluded" as const) : ("visible" as const) }));

describe("coverage dimensions", () => {
  it("bands occlusion by the share of occluded or absent joints", () => {
    expect([0, 1, 5, 6, 10, 11, 21].map((n) => occlusionBand(state(n)))).toEqual([
      "none",
      "low",
      "low",
      "medium",
      "medium",
      "high",
      "high",
    ]);
  });

  it("counts a hand under each of its image flags and its subject's demographics", () => {
    const rows: TCubeRow[] = [
      { key: { imageFlagKey: "blurry,low_light", subjectId: "s1" }, count: 3 },
      { key: { imageFlagKey: "", subjectId: "s2" }, count: 2 },
    ];
    const byFlag = tally(rows, ["condition"], ctx);
    expect(byFlag.get("blurry")?.hands).toBe(3);
    expect(byFlag.get("low_light")?.hands).toBe(3);
    expect(byFlag.get("none")?.hands).toBe(2);
    const byPerson = tally(rows, ["sexOrGender", "subjectSkinToneBand"], ctx);
    expect(byPerson.get("female\u00008-10")).toMatchObject({ hands: 3 });
    expect([...byPerson.get("female\u00008-10")!.subjects!]).toEqual(["s1"]);
    expect(byPerson.get("not given\u00001-3")?.hands).toBe(2);
  });
});

describe("coverage targets", () => {
  it("refuses targets that cannot mean anything, naming the field", () => {
    const bad = (input: unknown) => {
      const r = ZTargetInput.safeParse(input);
      return r.success ? [] : r.error.issues.map((i) => i.path.join("."));
    };
    expect(bad({ name: "x", kind: "min_count", value: 2.5 })).toContain("value");
    expect(bad({ name: "x", kind: "max_share", value: 20, cell: { gesture: ["open_palm"] } })).toContain("value");
    expect(bad({ name: "x", kind: "max_share", value: 0.2 })).toContain("cell");
    expect(bad({ name: "x", kind: "min_count", value: 5, cell: { colour: ["red"] } }).join()).toMatch(/cell/);
    expect(bad({ name: "x", kind: "min_count", value: 5, cell: { view: ["palm"] }, each: "view" })).toContain("each");
    expect(bad({ name: "x", kind: "min_count", value: 5, cell: { view: ["palm"] }, each: "skinToneBand" })).toEqual([]);
    expect(bad({ name: "x", kind: "min_count", value: 5, cell: { skinToneBand: ["8–10"] } })).toEqual([
      "cell.skinToneBand",
    ]);
    expect(
      bad({ name: "x", kind: "min_count", value: 5, cell: { gesture: ["a_project_gesture"], skinTone: ["10"] } }),
    ).toEqual([]);
  });

  it("measures gaps in hands for counts and shares", () => {
    expect(measure({ kind: "min_count", value: 300 }, 120, 1000)).toEqual({ met: false, gap: 180, progress: 0.4 });
    // 20% limit, 300 of 1000: 100 over.
    expect(measure({ kind: "max_share", value: 0.2 }, 300, 1000)).toMatchObject({ met: false, gap: 100 });
    // 30% wanted, 100 of 1000: (0.3·1000 − 100) / 0.7 = 285.7 → 286 more hands in the cell.
    expect(measure({ kind: "min_share", value: 0.3 }, 100, 1000)).toMatchObject({ met: false, gap: 286 });
    expect(measure({ kind: "min_share", value: 0.3 }, 300, 1000)).toMatchObject({ met: true, gap: 0, progress: 1 });
  });

  it("gives one line per value of 'each' and a shot list whose CSV hides small demographic cells", () => {
    const rows: TCubeRow[] = [
      { key: { view: "palm", interaction: "holding_object", skinTone: "9", subjectId: "s1" }, count: 4 },
      { key: { view: "palm", interaction: "holding_object", skinTone: "2", subjectId: "s2" }, count: 40 },
      { key: { view: "back", interaction: "holding_object", skinTone: "9", subjectId: "s1" }, count: 7 },
    ];
    const target = {
      id: "t",
      ...ZTargetInput.parse({
        name: "Palm holding",
        kind: "min_count",
        value: 150,
        cell: { view: ["palm"], interaction: ["holding_object"] },
        each: "subjectSkinToneBand",
      }),
    };
    const lines = targetProgress(target, rows, ctx);
    expect(lines.map((l) => [l.cell.subjectSkinToneBand?.[0], l.hands, l.gap])).toEqual([
      ["1-3", 40, 110],
      ["4-7", 0, 150],
      ["8-10", 4, 146],
    ]);
    const csv = shotListCsv(shotList(lines));
    expect(csv.split("\r\n")[0]).toBe('"priority","target","photograph","hands_needed","hands_now"');
    const dark = csv.split("\r\n").find((line) => line.includes("Monk 8–10"))!;
    expect(dark).toContain('"<5"');
    expect(dark).toContain('"up to 149"');
    expect(dark).not.toContain('"146"');
    // One person's 40 hands are still one person: hidden too. An empty cell reveals nobody.
    const light = csv.split("\r\n").find((line) => line.includes("Monk 1–3"))!;
    expect(light).not.toContain('"40"');
    expect(light).not.toContain('"110"');
    expect(csv.split("\r\n").find((line) => line.includes("Monk 4–7"))).toContain('"150","0"');
  });

  it("neutralises spreadsheet formulas in the CSV", () => {
    const csv = shotListCsv([
      {
        want: 5,
        priority: 1,
        target: '=HYPERLINK("x")',
        photograph: "All hands",
        handsNeeded: 5,
        handsNow: 0,
        subjects: null,
        demographic: false,
        kind: "min_count",
      },
    ]);
    expect(csv).toContain(`"'=HYPERLINK(""x"")"`);
  });
});

describe("export balancing", () => {
  const items = Array.from({ length: 30 }, (_, i) => ({ id: i, band: i < 20 ? "1-3" : i < 27 ? "4-7" : "8-10" }));
  it("caps every value, reproducibly with the seed", () => {
    const a = balanceItems(items, (x) => x.band, { mode: "cap", dimension: "skinToneBand", cap: 5 }, 42);
    expect(a.kept.length).toBe(13);
    expect(a.dropped).toEqual([
      { value: "1-3", count: 15 },
      { value: "4-7", count: 2 },
    ]);
    expect(balanceItems(items, (x) => x.band, { mode: "cap", dimension: "skinToneBand", cap: 5 }, 42).kept).toEqual(
      a.kept,
    );
    expect(balanceItems(items, (x) => x.band, { mode: "cap", dimension: "skinToneBand", cap: 5 }, 7).kept).not.toEqual(
      a.kept,
    );
  });

  it("samples the largest subset that follows the target shares", () => {
    const { kept } = balanceItems(
      items,
      (x) => x.band,
      { mode: "distribution", dimension: "skinToneBand", shares: { "1-3": 0.5, "4-7": 0.25, "8-10": 0.25 } },
      1,
    );
    const count = (band: string) => kept.filter((x) => x.band === band).length;
    expect([count("1-3"), count("4-7"), count("8-10")]).toEqual([6, 3, 3]);
  });
});

describe("the datasheet's balancing table", () => {
  it("cannot be undone by subtraction when it counts people by a demographic value", async () => {
    const { coverageDatasheetSection } = await import("./datasheet-section");
    const { derivableRanges } = await import("@/lib/privacy/small-cells");
    const dropped = [
      { value: "18-24", label: "18–24", count: 3 },
      { value: "25-34", label: "25–34", count: 7 },
      { value: "35-44", label: "35–44", count: 12 },
    ];
    const md = coverageDatasheetSection([], {
      options: { mode: "cap", dimension: "ageBand", cap: 5 },
      seed: 1,
      before: 40,
      after: 18,
      dropped,
    });
    const shown = dropped.map((d) => new RegExp(`\\| ${d.label} \\| (\\S+) \\|`).exec(md)![1]);
    expect(shown[0]).toBe("<5");
    // What a reader can derive from the published total (22 dropped) and the shown cells.
    const cells = shown.map((text, i) => ({
      count: dropped[i]!.count,
      suppressed: text === "<5" ? ("small" as const) : text.startsWith("≥") ? ("complementary" as const) : null,
    }));
    const range = derivableRanges(cells, 5)[0]!;
    expect(range.hi - range.lo).toBeGreaterThanOrEqual(2);
  });
});

describe("which labelling of an image counts", () => {
  const at = (minutes: number) => new Date(Date.UTC(2026, 10, 1, 12, minutes));
  const l = (id: string, status: string, minutes: number, over: Partial<TLabelling> = {}): TLabelling => ({
    id,
    status,
    goldScore: null,
    isGold: false,
    updatedAt: at(minutes),
    ...over,
  });

  it("counts one accepted labelling: the gold one, else the latest", () => {
    expect(Object.fromEntries(imageCoverageStages([l("a", "accepted", 1), l("b", "accepted", 2)]))).toEqual({
      a: "second_labelling",
      b: "accepted",
    });
    const gold = imageCoverageStages([l("a", "accepted", 1, { isGold: true }), l("b", "accepted", 2)]);
    expect(Object.fromEntries(gold)).toEqual({ a: "accepted", b: "second_labelling" });
  });

  it("prefers an accepted labelling to a later submitted one, and leaves drafts and gold runs alone", () => {
    const stages = imageCoverageStages([
      l("a", "accepted", 1),
      l("b", "submitted", 5),
      l("c", "draft", 6),
      l("d", "accepted", 7, { goldScore: 0.8 }),
    ]);
    expect(Object.fromEntries(stages)).toEqual({ a: "accepted", b: "second_labelling", c: "other", d: "gold_run" });
    expect(Object.fromEntries(imageCoverageStages([l("a", "submitted", 1), l("b", "submitted", 2)]))).toEqual({
      a: "second_labelling",
      b: "submitted",
    });
  });

  it("counts nothing of an image taken out by a withdrawal", () => {
    expect([...imageCoverageStages([l("a", "accepted", 1)], "quarantined").values()]).toEqual(["withdrawn"]);
  });
});
