/**
 * Left/right always has a signal: the hand-landmark network run at submit on a hand with no view and no model
 * side (network-model.ts). The pure parts with plain hands; then the real network on a real sample photo
 * (../shared/hands-sample, skipped when absent), as the server runs it.
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import sharp from "sharp";
import { describe, expect, it } from "vitest";
import { loadLandmarkNetFromDisk } from "@/lib/assist/landmark-runner-node";
import type { TRegionResult } from "@/lib/assist/region";
import { handsNeedingNetwork, modelHandFromResult, networkBox, networkModelHand } from "./network-model";
import { modelHandOf, swapHandedness } from "./planted-errors";
import { reviewFlags } from "./review-flags";
import { runQualityChecks } from "./run-checks";
import { loadSampleHands, SAMPLE_FOLDER } from "./sample-hands";
import { templateHand } from "./synthetic-hands";

const IMAGE = { width: 640, height: 480 };
const right = (view: "palm" | "back" | null = null) => ({
  ...templateHand({ handedness: "right", view: "palm", wrist: [320, 420], middleMcp: [320, 270] }),
  view,
});

describe("which hands the network looks at", () => {
  it("takes a labelled side without a view, and skips a set view, an unknown side and a hand the model already named", () => {
    const hands = [right(), right("back"), { ...right(), handedness: "unknown" as const }, right()];
    expect(handsNeedingNetwork(hands)).toEqual([0, 3]);
    // A stored model hand over hand 0 that names a side: the network is not needed there.
    expect(handsNeedingNetwork(hands, [modelHandOf(hands[0]!)])).toEqual([]);
    // … one that names no side does not count.
    expect(handsNeedingNetwork(hands, [{ ...modelHandOf(hands[0]!), handedness: "unknown" }])).toEqual([0, 3]);
    // A "side" view does not decide left/right either.
    expect(handsNeedingNetwork([right(null), { ...right(), view: "side" as const }])).toEqual([0, 1]);
  });

  it("runs on the tight box of the placed joints, not on an edited box", () => {
    const hand = { ...right(), bbox: { x: 0, y: 0, width: 10, height: 10 }, bboxEdited: true };
    const box = networkBox(hand)!;
    const xs = hand.keypoints.map((p) => p.x);
    expect(box.x).toBeCloseTo(Math.min(...xs));
    expect(box.width).toBeCloseTo(Math.max(...xs) - Math.min(...xs));
  });
});

describe("the network's side as a check", () => {
  const result = (rightScore: number, confident = true): TRegionResult => ({
    box: { x: 0, y: 0, width: 100, height: 100 },
    presence: confident ? 0.99 : 0.2,
    confident,
    rightScore,
    points: confident ? right().keypoints.map((p) => ({ x: p.x / 2, y: p.y / 2 })) : [],
    uncertainty: [],
    runs: 7,
    ms: 1,
  });

  it("names the more likely side with its probability, in original pixels, and nothing when not confident", () => {
    const seen = modelHandFromResult(result(0.03), IMAGE, 2)!;
    expect(seen).toMatchObject({ handedness: "left", via: "network" });
    expect(seen.score).toBeCloseTo(0.97);
    expect(seen.keypoints[0]!.x).toBeCloseTo(right().keypoints[0]!.x, 1);
    expect(modelHandFromResult(result(0.99, false), IMAGE)).toBeNull();
  });

  it("flags a swapped label strong when the network is sure, names left/right, and keeps the flag for review", () => {
    const hand = right();
    const network = [modelHandFromResult(result(0.99), IMAGE, 2)!];
    expect(runQualityChecks(hand, { image: IMAGE, model: network })).toEqual([]);
    const flags = runQualityChecks(swapHandedness(hand), { image: IMAGE, model: network });
    const flag = flags.find((f) => f.code === "handedness-network");
    expect(flag).toMatchObject({ severity: "strong" });
    expect(flag!.message).toMatch(
      /Left\/right looks swapped: labelled left, but the hand-landmark network.*right hand/,
    );
    // Unsure network: a warning only.
    const unsure = [modelHandFromResult(result(0.8), IMAGE, 2)!];
    expect(runQualityChecks(swapHandedness(hand), { image: IMAGE, model: unsure }).map((f) => f.severity)).toEqual([
      "warning",
    ]);
    // The review screen recomputes from the labels and does not run the network: the stored flag stays.
    expect(reviewFlags([], [{ ...flag!, hand: 0 }]).map((f) => f.code)).toEqual(["handedness-network"]);
  });

  it("does not judge single joints by the network's landmarks (only left/right)", () => {
    const hand = right();
    const far = { ...modelHandFromResult(result(0.99), IMAGE, 2)! };
    const keypoints = far.keypoints.map((p, j) => (j === 8 ? { ...p, x: p.x + 60 } : p));
    const flags = runQualityChecks(hand, { image: IMAGE, model: [{ ...far, keypoints }] });
    expect(flags.filter((f) => f.code === "joint-off-model")).toEqual([]);
    // The same landmarks as a stored prediction do.
    const { via: _, ...stored } = far;
    expect(runQualityChecks(hand, { image: IMAGE, model: [{ ...stored, keypoints }] }).map((f) => f.code)).toContain(
      "joint-off-model",
    );
  });
});

const sample = loadSampleHands();
if (!sample)
  console.log(`Skipping the real network's left/right: ${SAMPLE_FOLDER} is absent (not bundled, for licence reasons).`);

describe.skipIf(!sample)("the real network on a real photo", () => {
  it("sees the labelled right hand of a FreiHAND photo without a view, and flags the swapped label strong", async () => {
    const { file, image, hand } = sample!.find((s) => s.file.startsWith("freihand") && s.hand.handedness === "right")!;
    const noView = { ...hand, view: null };
    const { data, info } = await sharp(readFileSync(path.join(SAMPLE_FOLDER, file)))
      .removeAlpha()
      .raw()
      .toBuffer({ resolveWithObject: true });
    const net = await loadLandmarkNetFromDisk(process.cwd());
    try {
      const pixels = { data, width: info.width, height: info.height, channels: 3 as const };
      const seen = await networkModelHand(net, pixels, info.width / image.width, noView, image);
      expect(seen).toMatchObject({ handedness: "right", via: "network" });
      expect(seen!.score).toBeGreaterThan(0.9);
      expect(runQualityChecks(noView, { image, model: [seen!] }).filter((f) => f.severity === "strong")).toEqual([]);
      const swapped = runQualityChecks(swapHandedness(noView), { image, model: [seen!] });
      expect(swapped.find((f) => f.code === "handedness-network")?.severity).toBe("strong");
    } finally {
      net.dispose();
    }
  }, 60_000);
});
