import { describe, expect, it } from "vitest";
import {
  aggregateProjectStats,
  createStatsAccumulator,
  formatNumber,
  formatPercent,
  parseFlags,
  queueFromSlotHistogram,
  type TAnnotationFact,
} from "./aggregate";

const strong = (code: string) => ({ code, severity: "strong", message: "m", joints: [], hand: 0 });
const warning = (code: string) => ({ code, severity: "warning", message: "m", joints: [1], hand: 1 });
const fact = (over: Partial<TAnnotationFact>): TAnnotationFact => ({
  annotatorId: "a",
  status: "submitted",
  timeSpentMs: 0,
  handCount: 0,
  goldScore: null,
  qualityFlags: [],
  decisions: [],
  ...over,
});
const queue = queueFromSlotHistogram([], 1, 0);
const names = new Map([
  ["a", "Ada"],
  ["b", "Bea"],
]);

describe("parseFlags", () => {
  it("reads code and severity, ignores malformed entries and non-arrays", () => {
    expect(parseFlags([strong("finger-order"), warning("phalanx-ratio"), { code: 3 }, null, "x"])).toEqual([
      { code: "finger-order", severity: "strong" },
      { code: "phalanx-ratio", severity: "warning" },
    ]);
    expect(parseFlags(null)).toEqual([]);
    expect(parseFlags({ code: "finger-order" })).toEqual([]);
  });
});

describe("aggregateProjectStats", () => {
  const facts: TAnnotationFact[] = [
    // Ada: accepted after review, 2 hands, 60 s, strong flag, gold 0.8
    fact({
      status: "accepted",
      handCount: 2,
      timeSpentMs: 60_000,
      decisions: ["accept"],
      qualityFlags: [strong("finger-order"), warning("phalanx-ratio")],
      goldScore: 0.8,
    }),
    // Ada: accepted without review (not sampled), 1 hand, 30 s, warning only
    fact({ status: "accepted", handCount: 1, timeSpentMs: 30_000, qualityFlags: [warning("phalanx-ratio")] }),
    // Ada: rejected, 1 hand, 30 s, gold 0.4
    fact({ status: "rejected", handCount: 1, timeSpentMs: 30_000, decisions: ["reject"], goldScore: 0.4 }),
    // Ada: rejected once, resubmitted, waiting again: decided (latest decision reject), returned
    fact({ status: "submitted", handCount: 2, timeSpentMs: 60_000, decisions: ["reject"] }),
    // Ada: waiting for its first review: handed in, not decided
    fact({ status: "submitted", handCount: 2, timeSpentMs: 60_000 }),
    // Ada: draft, skipped, expired: not handed in; their time and flags are left out
    fact({ status: "draft", handCount: 5, timeSpentMs: 999_000, qualityFlags: [strong("finger-order")] }),
    fact({ status: "skipped", timeSpentMs: 5_000 }),
    fact({ status: "expired", handCount: 1, timeSpentMs: 7_000 }),
    // Bea: rejected then fixed and accepted by the next review
    fact({
      annotatorId: "b",
      status: "accepted",
      handCount: 1,
      timeSpentMs: 0,
      decisions: ["reject", "fix_and_accept"],
      qualityFlags: [strong("outside-image")],
    }),
    // Someone whose name is unknown, only a draft
    fact({ annotatorId: "z", status: "draft" }),
  ];
  const stats = aggregateProjectStats(facts, names, queue);
  const ada = stats.annotators.find((a) => a.annotatorId === "a")!;
  const bea = stats.annotators.find((a) => a.annotatorId === "b")!;
  const z = stats.annotators.find((a) => a.annotatorId === "z")!;

  it("counts per annotator", () => {
    expect(ada).toMatchObject({
      annotations: 8,
      submitted: 5,
      accepted: 2,
      returned: 2,
      decided: 4,
      skipped: 1,
      hands: 8,
      activeMs: 240_000,
    });
    expect(bea).toMatchObject({
      annotations: 1,
      submitted: 1,
      accepted: 1,
      returned: 1,
      decided: 1,
      hands: 1,
      activeMs: 0,
    });
  });

  it("derives rates: hands per hour, seconds per hand, acceptance, flags, gold", () => {
    expect(ada.handsPerHour).toBeCloseTo(8 / (240 / 3600));
    expect(ada.secondsPerHand).toBeCloseTo(30);
    expect(ada.acceptanceRate).toBeCloseTo(0.5);
    expect(ada.strongFlagRate).toBeCloseTo(1 / 5);
    expect(ada.anyFlagRate).toBeCloseTo(2 / 5);
    expect(ada.meanGoldOks).toBeCloseTo(0.6);
    expect(ada.goldCount).toBe(2);
    expect(bea.acceptanceRate).toBe(1);
    expect(bea.strongFlagRate).toBe(1);
  });

  it("uses null (shown as –) when a denominator is zero", () => {
    expect(bea.handsPerHour).toBeNull();
    expect(bea.meanGoldOks).toBeNull();
    expect(z).toMatchObject({
      name: "(unknown person)",
      submitted: 0,
      handsPerHour: null,
      secondsPerHand: null,
      acceptanceRate: null,
      strongFlagRate: null,
      anyFlagRate: null,
      meanGoldOks: null,
    });
  });

  it("sorts annotators by name and totals every annotator", () => {
    expect(stats.annotators.map((a) => a.name)).toEqual(["(unknown person)", "Ada", "Bea"]);
    expect(stats.overall).toMatchObject({
      annotations: 10,
      submitted: 6,
      accepted: 3,
      decided: 5,
      returned: 3,
      hands: 9,
      activeMs: 240_000,
    });
    expect(stats.overall.acceptanceRate).toBeCloseTo(3 / 5);
  });

  it("counts statuses in a fixed order, unknown statuses last", () => {
    const withOdd = aggregateProjectStats([...facts, fact({ status: "weird" })], names, queue);
    expect(withOdd.statusCounts).toEqual([
      { status: "draft", count: 2 },
      { status: "submitted", count: 2 },
      { status: "accepted", count: 3 },
      { status: "rejected", count: 1 },
      { status: "skipped", count: 1 },
      { status: "expired", count: 1 },
      { status: "weird", count: 1 },
    ]);
    expect(stats.totalAnnotations).toBe(10);
  });

  it("counts flag occurrences by code on handed-in annotations, split by severity, most frequent first", () => {
    expect(stats.flagsByCode).toEqual([
      { code: "phalanx-ratio", strong: 0, warning: 2, total: 2 },
      { code: "finger-order", strong: 1, warning: 0, total: 1 },
      { code: "outside-image", strong: 1, warning: 0, total: 1 },
    ]);
  });

  it("is the same fed in batches", () => {
    const accumulator = createStatsAccumulator();
    facts.forEach((f) => accumulator.add(f));
    expect(accumulator.annotatorIds().sort()).toEqual(["a", "b", "z"]);
    expect(accumulator.result(names, queue)).toEqual(stats);
  });

  it("has empty figures without annotations", () => {
    const empty = aggregateProjectStats([], names, queue);
    expect(empty.annotators).toEqual([]);
    expect(empty.totalAnnotations).toBe(0);
    expect(empty.flagsByCode).toEqual([]);
    expect(empty.statusCounts.every((s) => s.count === 0)).toBe(true);
    expect(empty.overall.acceptanceRate).toBeNull();
  });
});

describe("queueFromSlotHistogram", () => {
  it("counts images with free slots and the annotations still needed", () => {
    expect(
      queueFromSlotHistogram(
        [
          { held: 0, images: 3 },
          { held: 1, images: 2 },
          { held: 2, images: 4 },
          { held: 3, images: 1 },
        ],
        2,
        5,
      ),
    ).toEqual({
      activeImages: 10,
      imagesWaiting: 5,
      openSlots: 3 * 2 + 2 * 1,
      reviewsWaiting: 5,
      annotationsPerImage: 2,
    });
  });
  it("treats annotationsPerImage below 1 as 1", () => {
    expect(queueFromSlotHistogram([{ held: 0, images: 1 }], 0, 0)).toMatchObject({
      imagesWaiting: 1,
      openSlots: 1,
      annotationsPerImage: 1,
    });
  });
});

describe("formatting", () => {
  it("formats percentages and numbers, – for no data", () => {
    expect(formatPercent(null)).toBe("–");
    expect(formatPercent(0.5)).toBe("50.0 %");
    expect(formatPercent(1)).toBe("100 %");
    expect(formatNumber(12.345)).toBe("12.3");
    expect(formatNumber(null)).toBe("–");
  });
});
