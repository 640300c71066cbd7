/**
 * The checks against real, correct labels: the 12 sample photos in ../shared/hands-sample (not part of
 * the repository because of their licences). Correct labels of real photos must raise no strong flag.
 *
 * Loading: v 1 and 2 are placed, v 0 absent. v 1 means "labelled" in these sources, which do not tell
 * visible from occluded; it is loaded as `visible`, the stricter choice (coinciding visible joints are
 * strong, occluded ones only a warning). Handedness as given (OneHand10K: unknown).
 * View: unknown, except where the `pose` text in labels.json states it ("dorsal view", "palm view"; copies
 * described as "same pose/keypoints as X" inherit X's) — this lets the left/right check run on real data.
 */
import { describe, expect, it } from "vitest";
import { observedThumbSide } from "./handedness";
import { runQualityChecks } from "./run-checks";
import { loadSampleHands, SAMPLE_FOLDER, SAMPLE_LABELS } from "./sample-hands";
import { readFileSync } from "node:fs";
import path from "node:path";
import { skinMapOfBytes } from "@/lib/server/qc/skin-map";
import { shiftHand } from "./planted-errors";
import { jointsOnSkin } from "./skin";

const present = loadSampleHands() !== null;
if (!present)
  console.log(
    `Skipping real-hand QC tests: ${SAMPLE_LABELS} is absent (the sample photos are not bundled, for licence reasons).`,
  );

function load(withViews: boolean, labelledAs: "visible" | "occluded" = "visible") {
  return loadSampleHands({ withViews, labelledAs })!.map(({ file, image, hand }) => ({
    entry: { file, ...image },
    hand,
  }));
}

describe.skipIf(!present)("QC on the 12 real sample hands", () => {
  for (const [withViews, labelledAs] of [
    [false, "visible"],
    [true, "visible"],
    [false, "occluded"],
    [true, "occluded"],
  ] as const) {
    it(`raises no flag at all (view ${withViews ? "from the pose text" : "unknown"}, labelled joints ${labelledAs})`, () => {
      const hands = load(withViews, labelledAs);
      expect(hands).toHaveLength(12);
      const strong: string[] = [];
      for (const { entry, hand } of hands) {
        const flags = runQualityChecks(hand, { image: { width: entry.width, height: entry.height } });
        const listed = flags.map((f) => `${f.code} (${f.severity}): ${f.message}`).join("; ") || "no flags";
        console.log(`[qc real, view ${hand.view ?? "unknown"}] ${entry.file} (${hand.handedness}): ${listed}`);
        strong.push(...flags.filter((f) => f.severity === "strong").map((f) => `${entry.file}: ${f.code}`));
      }
      expect(strong).toEqual([]);
      const warned = hands.filter(
        ({ entry, hand }) => runQualityChecks(hand, { image: { width: entry.width, height: entry.height } }).length > 0,
      );
      expect(warned).toEqual([]);
    });
  }

  it("does flag a real right hand whose view is set to the wrong side", () => {
    const dorsal = load(true).filter(({ hand }) => hand.view === "back");
    expect(dorsal.length).toBe(4); // freihand_00017620 and its three re-composited copies
    for (const { entry, hand } of dorsal) {
      expect(observedThumbSide(hand)?.side).toBe(-1); // right hand from the back: thumb on the left, fingers up
      const flags = runQualityChecks(
        { ...hand, view: "palm" },
        { image: { width: entry.width, height: entry.height } },
      );
      expect(flags.map((f) => `${f.code}:${f.severity}`)).toContain("handedness-mismatch:strong");
    }
  });

  it("finds every correct real hand on skin in its photo, and flags one moved a hand's width onto the background", async () => {
    const onSkin: string[] = [];
    for (const { file, image, hand } of loadSampleHands()!) {
      const skin = await skinMapOfBytes(readFileSync(path.join(SAMPLE_FOLDER, file)), image.width);
      const sampled = jointsOnSkin(hand, skin).filter((v) => v !== null);
      onSkin.push(`${file} ${sampled.filter(Boolean).length}/${sampled.length}`);
      expect(runQualityChecks(hand, { image, skin }).filter((f) => f.code === "off-skin")).toEqual([]);
    }
    console.log(`[qc real, joints on skin] ${onSkin.join(", ")}`);
    // freihand_00000355 (a hand holding a spoon on a green-screen composite) moved one hand's width to the right.
    const [spoon] = loadSampleHands()!;
    const skin = await skinMapOfBytes(readFileSync(path.join(SAMPLE_FOLDER, spoon!.file)), spoon!.image.width);
    const xs = spoon!.hand.keypoints.filter((p) => p.state !== "absent").map((p) => p.x);
    const moved = shiftHand(spoon!.hand, Math.max(...xs) - Math.min(...xs), 0);
    const flags = runQualityChecks(moved, { image: spoon!.image, skin }).filter((f) => f.code === "off-skin");
    expect(flags.map((f) => f.severity)).toEqual(["strong"]);
    expect(flags[0]!.message).toMatch(/fits skin about \d+ px left/);
  });
});
