import { describe, expect, it } from "vitest";
import { ZHand } from "@/lib/hand/schema";
import {
  anatomicalHandedness,
  landmarkToKeypoint,
  newDetections,
  rawPrediction,
  resultsToHands,
  type TMpLandmark,
} from "./mediapipe";

const image = { width: 640, height: 480 };

/** 21 landmarks of an open hand in normalised coordinates, shifted by (dx, dy). */
function landmarks(dx = 0, dy = 0): TMpLandmark[] {
  return Array.from({ length: 21 }, (_, j) => {
    if (j === 0) return { x: 0.5 + dx, y: 0.85 + dy, z: 0 };
    const finger = Math.floor((j - 1) / 4);
    const step = (j - 1) % 4;
    return { x: 0.3 + finger * 0.1 + dx, y: 0.7 - step * 0.1 + dy, z: -0.01 * step };
  });
}

describe("handedness from MediaPipe's label", () => {
  it("swaps the label on an ordinary photo: MediaPipe assumes a mirrored selfie", () => {
    expect(anatomicalHandedness("Left", 0.97)).toBe("right");
    expect(anatomicalHandedness("Right", 0.97)).toBe("left");
  });
  it("keeps the label on a mirrored selfie", () => {
    expect(anatomicalHandedness("Left", 0.97, { mirrored: true })).toBe("left");
    expect(anatomicalHandedness("Right", 0.97, { mirrored: true })).toBe("right");
  });
  it("is unknown when the score is weak or the label is not one of MediaPipe's", () => {
    expect(anatomicalHandedness("Left", 0.55)).toBe("unknown");
    expect(anatomicalHandedness("Left", 0.55, { minHandednessScore: 0.5 })).toBe("right");
    expect(anatomicalHandedness("Both", 0.99)).toBe("unknown");
    expect(anatomicalHandedness(undefined, 0.99)).toBe("unknown");
    expect(anatomicalHandedness("Left", Number.NaN)).toBe("unknown");
  });
});

describe("landmark → keypoint", () => {
  it("scales normalised coordinates to image pixels, visible", () => {
    expect(landmarkToKeypoint({ x: 0.25, y: 0.5 }, image)).toEqual({ x: 160, y: 240, state: "visible" });
    expect(landmarkToKeypoint({ x: 0, y: 1 }, image)).toEqual({ x: 0, y: 480, state: "visible" });
  });
  it("pulls a landmark just outside the image onto the border", () => {
    // 2 % of 640 = 12.8 px of slack.
    expect(landmarkToKeypoint({ x: -0.01, y: 1.02 }, image)).toEqual({ x: 0, y: 480, state: "visible" });
    expect(landmarkToKeypoint({ x: 1.015, y: 0.5 }, image)).toEqual({ x: 640, y: 240, state: "visible" });
  });
  it("makes a landmark far outside the image absent at 0,0 (DESIGN.md §1)", () => {
    expect(landmarkToKeypoint({ x: -0.2, y: 0.5 }, image)).toEqual({ x: 0, y: 0, state: "absent" });
    expect(landmarkToKeypoint({ x: 0.5, y: 1.3 }, image)).toEqual({ x: 0, y: 0, state: "absent" });
    expect(landmarkToKeypoint({ x: 1.01, y: 0.5 }, image, { outsideTolerance: 0 })).toEqual({
      x: 0,
      y: 0,
      state: "absent",
    });
    expect(landmarkToKeypoint({ x: 1.01, y: 0.5 }, image, { outsideTolerance: 10 })).toEqual({
      x: 640,
      y: 240,
      state: "visible",
    });
  });
  it("makes a non-number absent", () => {
    expect(landmarkToKeypoint({ x: Number.NaN, y: 0.5 }, image).state).toBe("absent");
    expect(landmarkToKeypoint(undefined, image).state).toBe("absent");
  });
});

describe("results → hands", () => {
  it("gives one valid hand of 21 visible keypoints per detection, in image pixels, with its score", () => {
    const detected = resultsToHands(
      {
        multiHandLandmarks: [landmarks(), landmarks(0.05, -0.05)],
        multiHandedness: [
          { index: 0, score: 0.98, label: "Left" },
          { index: 1, score: 0.91, label: "Right" },
        ],
      },
      image,
    );
    expect(detected).toHaveLength(2);
    const [first, second] = detected;
    expect(first.hand.keypoints).toHaveLength(21);
    expect(first.hand.keypoints.every((p) => p.state === "visible")).toBe(true);
    expect(first.hand.keypoints[0]).toEqual({ x: 320, y: 408, state: "visible" });
    expect(first.hand.keypoints[8].x).toBeCloseTo(0.4 * 640);
    expect(first).toMatchObject({ score: 0.98, modelLabel: "Left" });
    expect(first.hand.handedness).toBe("right");
    expect(second.hand.handedness).toBe("left");
    expect(second.score).toBe(0.91);
    // Every hand is a valid stored hand, with a box around its joints.
    for (const { hand } of detected) {
      expect(ZHand.safeParse(hand).success).toBe(true);
      expect(hand.bbox).not.toBeNull();
      expect(hand.truncated).toBe(false);
    }
  });
  it("pairs labels by their index, not their position", () => {
    const detected = resultsToHands(
      {
        multiHandLandmarks: [landmarks(), landmarks(0.05)],
        multiHandedness: [
          { index: 1, score: 0.9, label: "Left" },
          { index: 0, score: 0.8, label: "Right" },
        ],
      },
      image,
    );
    expect(detected.map((d) => [d.hand.handedness, d.score])).toEqual([
      ["left", 0.8],
      ["right", 0.9],
    ]);
  });
  it("marks a hand running off the image as truncated, its outer joints absent", () => {
    const [detected] = resultsToHands(
      { multiHandLandmarks: [landmarks(0, -0.5)], multiHandedness: [{ index: 0, score: 0.9, label: "Left" }] },
      image,
    );
    const absent = detected.hand.keypoints.filter((p) => p.state === "absent");
    expect(absent.length).toBeGreaterThan(0);
    expect(absent.every((p) => p.x === 0 && p.y === 0)).toBe(true);
    expect(detected.hand.truncated).toBe(true);
    expect(detected.hand.keypoints.every((p) => p.x >= 0 && p.x <= 640 && p.y >= 0 && p.y <= 480)).toBe(true);
  });
  it("drops malformed detections and tolerates missing lists", () => {
    expect(resultsToHands({}, image)).toEqual([]);
    expect(resultsToHands({ multiHandLandmarks: null, multiHandedness: null }, image)).toEqual([]);
    expect(resultsToHands({ multiHandLandmarks: [landmarks().slice(0, 5)] }, image)).toEqual([]);
    const [noLabel] = resultsToHands({ multiHandLandmarks: [landmarks()] }, image);
    expect(noLabel).toMatchObject({ score: 0, modelLabel: "" });
    expect(noLabel.hand.handedness).toBe("unknown");
    expect(() => resultsToHands({}, { width: 0, height: 10 })).toThrow();
  });
  it("converts against any rendition: normalised coordinates do not depend on the size the model saw", () => {
    const original = { width: 6000, height: 4000 };
    const [hand] = resultsToHands(
      { multiHandLandmarks: [landmarks()], multiHandedness: [{ index: 0, score: 0.9, label: "Left" }] },
      original,
    );
    expect(hand.hand.keypoints[0]).toMatchObject({ x: 3000, y: 3400 });
  });
});

describe("raw prediction", () => {
  it("keeps MediaPipe's own labels and normalised landmarks, compactly", () => {
    const raw = rawPrediction(
      { multiHandLandmarks: [landmarks()], multiHandedness: [{ index: 0, score: 0.912345678, label: "Left" }] },
      {
        options: { maxNumHands: 4 },
        image,
        input: { width: 320, height: 240 },
        ms: 231.7,
        at: new Date("2025-01-01T00:00:00Z"),
      },
    );
    expect(raw).toMatchObject({
      model: "@mediapipe/hands",
      options: { maxNumHands: 4 },
      image,
      input: { width: 320, height: 240 },
      ms: 232,
      at: "2025-01-01T00:00:00.000Z",
    });
    expect(raw.hands[0].label).toBe("Left");
    expect(raw.hands[0].score).toBe(0.9123);
    expect(raw.hands[0].landmarks).toHaveLength(21);
    expect(raw.hands[0].landmarks[0]).toEqual([0.5, 0.85, 0]);
    expect(JSON.stringify(raw).length).toBeLessThan(2000);
  });
});

describe("new detections", () => {
  const detect = (dx: number) =>
    resultsToHands(
      { multiHandLandmarks: [landmarks(dx)], multiHandedness: [{ index: 0, score: 0.9, label: "Left" }] },
      image,
    );
  it("leaves out a detection of a hand that is already labelled, keeps the others", () => {
    const [labelled] = detect(0);
    const [same] = detect(0.01);
    const [elsewhere] = detect(0.45);
    expect(newDetections([same, elsewhere], [labelled.hand])).toEqual([elsewhere]);
    expect(newDetections([same, elsewhere], [])).toEqual([same, elsewhere]);
    expect(newDetections([same], [{ bbox: null }])).toEqual([same]);
  });
});
