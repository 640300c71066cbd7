/**
 * What must hold before an annotation is handed in (the workspace shows these on the canvas; the
 * server re-checks them on submit). A hand needs handedness, the wrist and five more joints, and
 * every placed joint inside the image.
 */
import { keypointsOutsideImage } from "@/lib/hand/schema";
import { JOINT_NAMES, WRIST } from "@/lib/hand/skeleton";
import type { TAnnotationDoc } from "./schema";

export const MIN_PLACED_BESIDES_WRIST = 5;

export type TSubmitProblem = { hand?: number; joint?: number; message: string };

export function submitProblems(doc: TAnnotationDoc, image: { width: number; height: number }): TSubmitProblem[] {
  const problems: TSubmitProblem[] = [];
  if (doc.hands.length === 0 && !doc.noHands) {
    problems.push({ message: "Label at least one hand, or mark the image as having no hands" });
  }
  doc.hands.forEach((hand, index) => {
    const name = `Hand ${index + 1}`;
    if (hand.handedness === "unknown") problems.push({ hand: index, message: `${name}: set left or right (L / R)` });
    if (hand.keypoints[WRIST].state === "absent")
      problems.push({ hand: index, joint: WRIST, message: `${name}: place the wrist` });
    const placedBesidesWrist = hand.keypoints.filter(
      (point, joint) => joint !== WRIST && point.state !== "absent",
    ).length;
    if (placedBesidesWrist < MIN_PLACED_BESIDES_WRIST) {
      problems.push({
        hand: index,
        message: `${name}: place at least ${MIN_PLACED_BESIDES_WRIST} joints besides the wrist (${placedBesidesWrist} so far)`,
      });
    }
    for (const joint of keypointsOutsideImage(hand.keypoints, image.width, image.height)) {
      problems.push({ hand: index, joint, message: `${name}: ${JOINT_NAMES[joint]} lies outside the image` });
    }
  });
  return problems;
}
