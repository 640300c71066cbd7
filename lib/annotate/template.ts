/**
 * A hand template for the remaining joints once the wrist and the middle finger's MCP are placed:
 * an open right hand in palm view, in units of the wrist→middle-MCP length, with y pointing from
 * the wrist towards the fingers. Proportions follow the phalanx ratios of DESIGN.md §4
 * (proximal : middle : distal ≈ 1 : 0.6 : 0.45). Left hands and back views are mirrored.
 */
import type { THandedness, THandView, TKeypoint } from "@/lib/hand/schema";
import { JOINT_COUNT, WRIST } from "@/lib/hand/skeleton";

const MIDDLE_MCP = 9;

/** [x across the palm (thumb side positive), y along the hand] for joints 0..20. */
const OPEN_RIGHT_PALM: readonly (readonly [number, number])[] = [
  [0, 0],
  [0.28, 0.18],
  [0.5, 0.38],
  [0.64, 0.56],
  [0.76, 0.72],
  [0.26, 0.95],
  [0.3, 1.35],
  [0.33, 1.58],
  [0.35, 1.78],
  [0, 1],
  [0, 1.45],
  [0, 1.72],
  [0, 1.95],
  [-0.22, 0.95],
  [-0.26, 1.36],
  [-0.28, 1.6],
  [-0.3, 1.8],
  [-0.42, 0.85],
  [-0.5, 1.12],
  [-0.55, 1.3],
  [-0.6, 1.46],
];

/**
 * Seen from the palm with the fingers up, a right thumb is on the image's right; seen from the back
 * it is on the left (look at the back of your own right hand). A left hand is the mirror image.
 */
function thumbSide(handedness: THandedness, view: THandView | null): 1 | -1 {
  const right = handedness !== "left";
  const back = view === "back";
  return right !== back ? 1 : -1;
}

/**
 * Fills absent joints from the template, scaled and rotated so that its wrist and middle MCP land on
 * the placed ones. Placed joints are kept, and so are absent joints below `fillFrom` (the annotator
 * marked those absent on purpose). Returns null when either anchor is missing.
 */
export function applyHandTemplate(
  keypoints: readonly TKeypoint[],
  handedness: THandedness,
  view: THandView | null,
  fillFrom = 0,
): TKeypoint[] | null {
  const wrist = keypoints[WRIST];
  const mcp = keypoints[MIDDLE_MCP];
  if (wrist.state === "absent" || mcp.state === "absent") return null;
  // Basis: `along` from the wrist to the middle MCP; `across` is it turned 90° so that, fingers up,
  // it points to the image's right (image y points down).
  const along = { x: mcp.x - wrist.x, y: mcp.y - wrist.y };
  const across = { x: -along.y, y: along.x };
  const side = thumbSide(handedness, view);
  return Array.from({ length: JOINT_COUNT }, (_, joint) => {
    if (keypoints[joint].state !== "absent" || (joint < fillFrom && joint !== MIDDLE_MCP)) return keypoints[joint];
    const [u, v] = OPEN_RIGHT_PALM[joint];
    const a = u * side;
    return {
      x: wrist.x + v * along.x + a * across.x,
      y: wrist.y + v * along.y + a * across.y,
      state: "visible" as const,
    };
  });
}

export { MIDDLE_MCP };
