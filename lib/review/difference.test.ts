import { describe, expect, it } from "vitest";
import { newHand } from "@/lib/annotate/hand-ops";
import { docDifference } from "./difference";

describe("docDifference", () => {
  it("lists moved joints with their distance and state changes", () => {
    const hand = {
      ...newHand(),
      keypoints: newHand().keypoints.map((p, j) => (j < 3 ? { x: 10 * j, y: 0, state: "visible" as const } : p)),
    };
    const fixed = {
      ...hand,
      keypoints: hand.keypoints.map((p, j) =>
        j === 1 ? { x: 13, y: 4, state: "visible" as const } : j === 2 ? { ...p, state: "occluded" as const } : p,
      ),
    };
    const difference = docDifference(
      { hands: [hand], noHands: false, imageFlags: [] },
      { hands: [fixed], noHands: false, imageFlags: [] },
    );
    expect(difference.changes).toEqual([
      { hand: 0, joint: 1, moved: 5, from: "visible", to: "visible" },
      { hand: 0, joint: 2, moved: 0, from: "visible", to: "occluded" },
    ]);
    expect(difference.meanMovedPx).toBe(2.5);
  });
});
