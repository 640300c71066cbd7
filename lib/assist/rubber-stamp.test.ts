import { describe, expect, it } from "vitest";
import { newHand } from "@/lib/annotate/hand-ops";
import { correctionDistance, rubberStampFlag } from "./rubber-stamp";
import type { TModelPrediction } from "./mediapipe";

const prediction: TModelPrediction = {
  model: "m",
  version: "v",
  options: {},
  image: { width: 1000, height: 500 },
  input: { width: 1000, height: 500 },
  ms: 300,
  at: "x",
  hands: [
    {
      label: "Left",
      score: 0.9,
      landmarks: Array.from({ length: 21 }, (_, j) => [0.1 + j * 0.01, 0.5, 0] as [number, number, number]),
    },
  ],
};
const handAt = (dx: number) => ({
  ...newHand(),
  keypoints: Array.from({ length: 21 }, (_, j) => ({ x: 100 + j * 10 + dx, y: 250, state: "visible" as const })),
});

describe("rubber-stamp guard", () => {
  it("measures the mean correction in original pixels", () => {
    expect(correctionDistance([handAt(0)], prediction)).toBeCloseTo(0, 6);
    expect(correctionDistance([handAt(3)], prediction)).toBeCloseTo(3, 6);
  });
  it("flags unchanged proposals handed in quickly, not corrected or careful work", () => {
    expect(rubberStampFlag(0.4, 5_000, 1)?.code).toBe("model-unchanged");
    expect(rubberStampFlag(3, 5_000, 1)).toBeNull();
    expect(rubberStampFlag(0.4, 60_000, 1)).toBeNull();
    expect(rubberStampFlag(null, 1_000, 1)).toBeNull();
  });
});
