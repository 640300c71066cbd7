import { describe, expect, it } from "vitest";
import { newHand } from "@/lib/annotate/hand-ops";
import type { THand, THandedness } from "@/lib/hand/schema";
import { checkHandedness } from "@/lib/qc/handedness";
import { suggestView } from "./view";

/** Fingers up; the index knuckle on the image's right, so the thumb is on the right. */
const THUMB_RIGHT: [number, number][] = [
  [100, 200],
  [125, 180],
  [140, 160],
  [150, 140],
  [158, 125],
  [120, 120],
  [122, 90],
  [123, 70],
  [124, 55],
  [105, 115],
  [105, 82],
  [105, 60],
  [105, 45],
  [90, 118],
  [88, 88],
  [87, 68],
  [86, 55],
  [75, 125],
  [72, 100],
  [70, 85],
  [69, 75],
];

function hand(points: [number, number][], handedness: THandedness = "unknown"): THand {
  return { ...newHand(), handedness, keypoints: points.map(([x, y]) => ({ x, y, state: "visible" as const })) };
}
const mirrored = THUMB_RIGHT.map(([x, y]) => [200 - x, y] as [number, number]);

describe("the view suggested from the model's hand", () => {
  it("is the palm for a right hand with its thumb on the right (fingers up), else the back; a left hand mirrors it", () => {
    expect(suggestView(hand(THUMB_RIGHT), "right")).toBe("palm");
    expect(suggestView(hand(THUMB_RIGHT), "left")).toBe("back");
    expect(suggestView(hand(mirrored), "left")).toBe("palm");
    expect(suggestView(hand(mirrored), "right")).toBe("back");
    // Upside down (fingers down) is the same view: the geometry follows the hand's own axis.
    const turned = THUMB_RIGHT.map(([x, y]) => [200 - x, 400 - y] as [number, number]);
    expect(suggestView(hand(turned), "right")).toBe("palm");
  });

  it("is 'side' for a palm seen edge-on and nothing when the hand or the palm is unknown", () => {
    const edgeOn = THUMB_RIGHT.map(([x, y], j) => [j >= 5 && j % 4 === 1 ? 100 : x, y] as [number, number]);
    expect(suggestView(hand(edgeOn), "right")).toBe("side");
    expect(suggestView(hand(THUMB_RIGHT), "unknown")).toBeNull();
    const noWrist = hand(THUMB_RIGHT);
    noWrist.keypoints[0] = { x: 0, y: 0, state: "absent" };
    expect(suggestView(noWrist, "right")).toBeNull();
  });

  it("gives the left/right check a view, so a later swap of the handedness is caught", () => {
    const labelled = hand(THUMB_RIGHT, "right");
    const view = suggestView(labelled, labelled.handedness);
    expect(checkHandedness({ ...labelled, view })).toEqual([]);
    expect(checkHandedness({ ...labelled, view, handedness: "left" })[0]?.code).toBe("handedness-mismatch");
    // Without the view the check cannot run at all.
    expect(checkHandedness({ ...labelled, view: null, handedness: "left" })).toEqual([]);
  });
});
