/**
 * What a reviewer's fix changed: per hand and joint, the displacement in pixels and state changes.
 * Kept with the review so each annotator's corrections can be measured.
 */
import type { TAnnotationDoc } from "@/lib/annotate/schema";

export type TJointChange = { hand: number; joint: number; moved: number | null; from: string; to: string };
export type TDocDifference = {
  handsBefore: number;
  handsAfter: number;
  changes: TJointChange[];
  meanMovedPx: number | null;
};

export function docDifference(before: TAnnotationDoc, after: TAnnotationDoc): TDocDifference {
  const changes: TJointChange[] = [];
  const shared = Math.min(before.hands.length, after.hands.length);
  for (let hand = 0; hand < shared; hand++) {
    before.hands[hand].keypoints.forEach((a, joint) => {
      const b = after.hands[hand].keypoints[joint];
      const placedBoth = a.state !== "absent" && b.state !== "absent";
      const moved = placedBoth ? Math.hypot(a.x - b.x, a.y - b.y) : null;
      if (a.state !== b.state || (moved !== null && moved > 0))
        changes.push({ hand, joint, moved, from: a.state, to: b.state });
    });
  }
  const distances = changes.map((c) => c.moved).filter((d): d is number => d !== null);
  return {
    handsBefore: before.hands.length,
    handsAfter: after.hands.length,
    changes,
    meanMovedPx: distances.length ? distances.reduce((sum, d) => sum + d, 0) / distances.length : null,
  };
}
