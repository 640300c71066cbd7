/**
 * Per-joint OKS sigmas. COCO-WholeBody's hand sigmas (DESIGN.md §4), in joint order: wrist, then thumb,
 * index, middle, ring, pinky, base to tip. They were calibrated against whole-person area, not hand area,
 * so against a hand's own box they are strict; a project with double annotation can estimate its own
 * (estimate-sigmas.ts).
 */
import { JOINT_COUNT } from "@/lib/hand/skeleton";

export const COCO_WHOLEBODY_HAND_SIGMAS: readonly number[] = Object.freeze([
  0.029, 0.022, 0.035, 0.037, 0.047, 0.026, 0.025, 0.024, 0.035, 0.018, 0.024, 0.022, 0.026, 0.017, 0.021, 0.021, 0.032,
  0.02, 0.019, 0.022, 0.031,
]);

if (COCO_WHOLEBODY_HAND_SIGMAS.length !== JOINT_COUNT)
  throw new Error("COCO_WHOLEBODY_HAND_SIGMAS must have 21 values");
