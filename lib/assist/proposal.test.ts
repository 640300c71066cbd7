import { describe, expect, it } from "vitest";
import { newHand } from "@/lib/annotate/hand-ops";
import { modelHands } from "@/lib/qc/annotation-flags";
import {
  annotationSource,
  regionPredictionHand,
  tabOrder,
  uncertainJoints,
  viewIsModelSuggested,
  withPredictionHands,
} from "./proposal";
import { resultToHand, type TRegionResult } from "./region";
import { ZModelPrediction } from "./mediapipe";

const image = { width: 200, height: 100 };
const result = (over: Partial<TRegionResult> = {}): TRegionResult => ({
  box: { x: 0, y: 0, width: 50, height: 50 },
  presence: 0.93,
  confident: true,
  rightScore: 0.2,
  points: Array.from({ length: 21 }, (_, j) => ({ x: 10 + 2 * j, y: 20 + j })),
  uncertainty: Array.from({ length: 21 }, (_, j) => (j === 8 ? 0.2 : j === 12 ? 0.07 : 0.01)),
  runs: 6,
  ms: 120,
  ...over,
});

describe("region proposals", () => {
  it("are stored in the prediction record QC reads, with the person's hand in MediaPipe's label convention", () => {
    const entry = regionPredictionHand(result(), image);
    expect(entry).toMatchObject({ label: "Right", score: 0.8, via: "region", presence: 0.93 });
    expect(entry.landmarks[1]).toEqual([0.06, 0.21, 0]);
    const prediction = withPredictionHands(null, [entry], { image, ms: 120, at: new Date("2026-01-01") });
    expect(ZModelPrediction.parse(prediction)).toEqual(prediction);
    // QC's model signal sees a left hand (rightScore 0.2), as the network said.
    expect(modelHands(prediction)[0]!.handedness).toBe("left");
    const more = withPredictionHands(
      prediction,
      [regionPredictionHand(result({ confident: false, points: [], uncertainty: [] }), image)],
      {
        image,
        ms: 80,
      },
    );
    expect(more.hands).toHaveLength(2);
    expect(more.ms).toBe(200);
    expect(more.hands[1]!.landmarks).toEqual([]);
  });

  it("rings the unsure joints while they stay where the model put them; Tab visits them first", () => {
    const prediction = withPredictionHands(null, [regionPredictionHand(result(), image)], { image, ms: 1 });
    const hand = resultToHand(result(), image);
    expect(uncertainJoints([hand], prediction)).toEqual([[8, 12]]);
    const moved = { ...hand, keypoints: hand.keypoints.map((p, j) => (j === 8 ? { ...p, x: p.x + 5 } : p)) };
    expect(uncertainJoints([moved, newHand()], prediction)).toEqual([[12], []]);
    expect(uncertainJoints([hand], null)).toEqual([[]]);
    expect(tabOrder([12]).slice(0, 3)).toEqual([12, 0, 1]);
    expect(tabOrder([12])).toHaveLength(21);
  });

  it("keeps the source true: manual once no hand has a joint where the model put it", () => {
    const prediction = withPredictionHands(null, [regionPredictionHand(result(), image)], { image, ms: 1 });
    const hand = resultToHand(result(), image);
    expect(annotationSource([hand], prediction)).toBe("model_assisted");
    const drawn = { ...hand, keypoints: hand.keypoints.map((p) => ({ ...p, x: p.x + 3 })) };
    expect(annotationSource([drawn], prediction)).toBe("manual");
    expect(annotationSource([], prediction)).toBe("manual");
    expect(annotationSource([hand], null)).toBe("manual");
  });

  it("prefills the view the model suggests, stores it with the proposal and marks it as the model's until changed", () => {
    // The result's knuckles lie on one line with the wrist: a palm seen edge-on.
    const entry = regionPredictionHand(result(), image);
    expect(entry.view).toBe("side");
    const prediction = withPredictionHands(null, [entry], { image, ms: 1 });
    const hand = resultToHand(result(), image);
    expect(hand.view).toBe("side");
    expect(viewIsModelSuggested(hand, prediction)).toBe(true);
    expect(viewIsModelSuggested({ ...hand, view: "palm" }, prediction)).toBe(false);
    expect(viewIsModelSuggested(hand, null)).toBe(false);
    // Unknown handedness: no view is suggested, none stored.
    const unsure = result({ rightScore: 0.5 });
    expect(regionPredictionHand(unsure, image).view).toBeUndefined();
    expect(resultToHand(unsure, image).view).toBeNull();
  });
});
