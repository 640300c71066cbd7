import { describe, expect, it } from "vitest";
import { bboxArea, bboxFromKeypoints } from "@/lib/hand/bbox";
import type { THand, TKeypoint } from "@/lib/hand/schema";
import { handFromKeypoints, jitterHand, seededRandom, templateHand } from "@/lib/qc/synthetic-hands";
import { estimateSigmas, sigmaStats } from "./estimate-sigmas";
import { matchHandsByOks } from "./match";
import { handArea, oks } from "./oks";
import { COCO_WHOLEBODY_HAND_SIGMAS as SIGMAS } from "./sigmas";

function edit(hand: THand, changes: Record<number, Partial<TKeypoint>>): THand {
  return {
    ...hand,
    keypoints: hand.keypoints.map((p, i) => (changes[i] ? { ...p, ...changes[i] } : p)) as TKeypoint[],
  };
}
const absent = { state: "absent" as const, x: 0, y: 0 };
const term = (d: number, area: number, sigma: number) => Math.exp(-(d * d) / (2 * area * (2 * sigma) ** 2));

describe("COCO_WHOLEBODY_HAND_SIGMAS", () => {
  it("has DESIGN.md's 21 values in joint order", () => {
    expect(SIGMAS).toEqual([
      0.029, 0.022, 0.035, 0.037, 0.047, 0.026, 0.025, 0.024, 0.035, 0.018, 0.024, 0.022, 0.026, 0.017, 0.021, 0.021,
      0.032, 0.02, 0.019, 0.022, 0.031,
    ]);
  });
});

describe("oks", () => {
  const gt = templateHand();
  const area = handArea(gt);

  it("is 1 for identical hands", () => expect(oks(gt, gt)).toBe(1));

  it("matches the formula with one joint off by a known distance", () => {
    const moved = edit(gt, { 8: { x: gt.keypoints[8]!.x + 3, y: gt.keypoints[8]!.y + 4 } }); // d = 5
    expect(oks(moved, gt)).toBeCloseTo((20 + term(5, area, SIGMAS[8]!)) / 21, 12);
    // and by hand for a round case: area 10 000, σ = 0.035, d = 5 → exp(-25 / (2·10000·0.0049))
    expect(oks(moved, gt, { area: 10_000 })).toBeCloseTo((20 + Math.exp(-25 / 98)) / 21, 12);
  });

  it("counts only joints placed in the reference; a miss in the compared hand counts 0", () => {
    const partial = edit(gt, Object.fromEntries([...Array(15).keys()].map((i) => [i + 6, absent]))); // joints 0..5 placed
    const far = edit(gt, { 10: { x: 9999, y: 9999 }, 3: { x: gt.keypoints[3]!.x + 6 } });
    expect(oks(far, partial, { area })).toBeCloseTo((5 + term(6, area, SIGMAS[3]!)) / 6, 12);
    const missing = edit(gt, { 2: absent });
    expect(oks(missing, gt, { area })).toBeCloseTo(20 / 21, 12);
    expect(oks(gt, missing, { area })).toBe(1); // the reference lacks it: not counted
  });

  it("scales with area: an error d at area A scores as d/2 at 4A", () => {
    const off = (d: number) => edit(gt, { 12: { x: gt.keypoints[12]!.x + d } });
    expect(oks(off(10), gt, { area: 4 * area })).toBeCloseTo(oks(off(5), gt, { area })!, 12);
  });

  it("defaults the area to the reference's stored box, else its keypoints' box", () => {
    const moved = edit(gt, { 0: { x: gt.keypoints[0]!.x + 4 } });
    const boxed = { ...gt, bbox: { x: 0, y: 0, width: 50, height: 40 } };
    expect(oks(moved, boxed)).toBeCloseTo(oks(moved, boxed, { area: 2000 })!, 12);
    const unboxed = { ...gt, bbox: null };
    expect(oks(moved, unboxed)).toBeCloseTo(oks(moved, gt, { area: bboxArea(bboxFromKeypoints(gt.keypoints)) })!, 12);
  });

  it("is null without placed reference joints or without area", () => {
    const empty = handFromKeypoints(gt.keypoints.map(() => absent));
    expect(oks(gt, empty)).toBeNull();
    expect(oks(gt, gt, { area: 0 })).toBeNull();
  });

  it("uses custom sigmas and rejects a wrong count", () => {
    const moved = edit(gt, { 8: { x: gt.keypoints[8]!.x + 5 } });
    expect(oks(moved, gt, { area: 100, sigmas: new Array(21).fill(0.5) })).toBeCloseTo(
      (20 + Math.exp(-25 / 200)) / 21,
      12,
    );
    expect(() => oks(gt, gt, { sigmas: [0.1] })).toThrow(RangeError);
  });
});

describe("matchHandsByOks", () => {
  const left = templateHand({ handedness: "left", wrist: [150, 400], middleMcp: [150, 300] });
  const right = templateHand({ handedness: "right", wrist: [500, 400], middleMcp: [520, 300] });
  const third = templateHand({ wrist: [800, 400], middleMcp: [800, 300] });
  const random = seededRandom(11);

  it("pairs each annotator's hands with the other's labels of the same hand", () => {
    const b = [jitterHand(right, random, 2), jitterHand(left, random, 2)];
    const m = matchHandsByOks([left, right, third], b);
    expect(m.pairs.map(({ a, b }) => [a, b])).toEqual([
      [0, 1],
      [1, 0],
    ]);
    expect(m.pairs.every((p) => p.oks > 0.5 && p.oks <= 1)).toBe(true);
    expect(m.unmatchedA).toEqual([2]);
    expect(m.unmatchedB).toEqual([]);
  });

  it("prefers the better pair when two labels compete for one hand", () => {
    const close = jitterHand(left, random, 1);
    const rough = jitterHand(left, random, 6);
    const m = matchHandsByOks([left], [rough, close]);
    expect(m.pairs.map(({ a, b }) => [a, b])).toEqual([[0, 1]]);
    expect(m.unmatchedB).toEqual([0]);
  });

  it("leaves different hands unmatched", () => {
    const m = matchHandsByOks([left], [third]);
    expect(m.pairs).toEqual([]);
    expect(m.unmatchedA).toEqual([0]);
    expect(m.unmatchedB).toEqual([0]);
  });
});

describe("estimateSigmas", () => {
  /** Pairs (truth, truth + noise) with per-axis noise σ_i·s/√2, so that E[d_i²/s²] = σ_i². */
  function noisyPairs(n: number, sigmas: readonly number[], seed: number): [THand, THand][] {
    const random = seededRandom(seed);
    const gauss = () => Math.sqrt(-2 * Math.log(Math.max(random(), 1e-12))) * Math.cos(2 * Math.PI * random());
    return Array.from({ length: n }, () => {
      const length = 60 + 140 * random();
      const angle = 2 * Math.PI * random();
      const wrist: [number, number] = [400 + 100 * random(), 400 + 100 * random()];
      const truth = templateHand({
        wrist,
        middleMcp: [wrist[0] + length * Math.sin(angle), wrist[1] - length * Math.cos(angle)],
      });
      const s = Math.sqrt(handArea(truth));
      const keypoints = truth.keypoints.map((p, i) => {
        const t = (sigmas[i]! * s) / Math.SQRT2;
        return { ...p, x: p.x + t * gauss(), y: p.y + t * gauss() };
      });
      // Keep the second label's box equal to the truth's so that s² is exactly the truth's area.
      return [truth, { ...truth, keypoints }];
    });
  }

  it("recovers known sigmas from noisy double annotation within 5 %", () => {
    const known = SIGMAS.map((s, i) => s * (1 + (i % 3) * 0.5)); // not the defaults, to show they are estimated
    const estimated = estimateSigmas(noisyPairs(3000, known, 5))!;
    estimated.forEach((s, i) => expect(Math.abs(s / known[i]! - 1)).toBeLessThan(0.05));
  });

  it("falls back per joint below the minimum count, and is null when no joint reaches it", () => {
    const pairs = noisyPairs(
      40,
      SIGMAS.map(() => 0.05),
      9,
    );
    // Joint 20 labelled in only 10 pairs.
    const thinned = pairs.map(([a, b], k) => [a, k < 10 ? b : edit(b, { 20: absent })] as [THand, THand]);
    const stats = sigmaStats(thinned, 30);
    expect(stats.counts[20]).toBe(10);
    expect(stats.sigmas[20]).toBeNull();
    const estimated = estimateSigmas(thinned, { minPairs: 30 })!;
    expect(estimated[20]).toBe(SIGMAS[20]);
    expect(Math.abs(estimated[0]! / 0.05 - 1)).toBeLessThan(0.35);
    expect(estimateSigmas(thinned.slice(0, 20), { minPairs: 30 })).toBeNull();
  });
});
