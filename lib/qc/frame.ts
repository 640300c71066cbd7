/**
 * Where the hand meets its frame: joints on the image border, and the hand's box.
 *
 * Border: a joint the photo cuts off is `absent` (DESIGN.md §1). A `visible` joint lying exactly on the
 * border is the trace of one dragged out of the picture and stopped by the edge (or a model's landmark
 * clamped there): a warning. Two or more on the same edge — a cut-off finger folded onto the border — strong.
 *
 * Box: the box is the hand's extent. A box (moved by hand, or imported) that leaves most of the joints
 * outside belongs to another hand or was dragged away: strong; a few joints outside it: warning.
 */
import type { THand } from "@/lib/hand/schema";
import { flag, label, type TQualityFlag } from "./flag";
import { handScale } from "./geometry";

/** Within this many pixels of an edge counts as "on" it. */
export const BORDER_PX = 0.5;
/** A joint counts as outside the box when farther out than this fraction of the hand's size. */
export const BOX_SLACK = 0.15;
/** Strong when at least this share of the placed joints lies outside the box. */
export const BOX_STRONG_SHARE = 0.5;

export function checkImageBorder(hand: THand, image: { width: number; height: number }): TQualityFlag[] {
  const edges: Record<string, number[]> = { left: [], right: [], top: [], bottom: [] };
  hand.keypoints.forEach((p, j) => {
    if (p.state !== "visible" || !Number.isFinite(p.x) || !Number.isFinite(p.y)) return;
    if (p.x <= BORDER_PX) edges.left!.push(j);
    else if (p.x >= image.width - BORDER_PX) edges.right!.push(j);
    if (p.y <= BORDER_PX) edges.top!.push(j);
    else if (p.y >= image.height - BORDER_PX) edges.bottom!.push(j);
  });
  const flags: TQualityFlag[] = [];
  for (const [edge, joints] of Object.entries(edges)) {
    if (joints.length === 0) continue;
    const names = joints.map(label).join(", ");
    flags.push(
      flag(
        "on-image-border",
        joints.length >= 2 ? "strong" : "warning",
        `${names} ${joints.length === 1 ? "sits" : "sit"} on the image's ${edge} edge marked visible: if the photo cuts ` +
          `${joints.length === 1 ? "it" : "them"} off, mark ${joints.length === 1 ? "it" : "them"} absent (or occluded where you can estimate the spot inside the image).`,
        joints,
      ),
    );
  }
  return flags;
}

export function checkBox(hand: THand): TQualityFlag[] {
  const box = hand.bbox;
  const scale = handScale(hand);
  if (!box || !scale) return [];
  const slack = BOX_SLACK * scale;
  const placed = hand.keypoints.map((p, j) => ({ p, j })).filter(({ p }) => p.state !== "absent");
  const outside = placed
    .filter(
      ({ p }) =>
        p.x < box.x - slack ||
        p.x > box.x + box.width + slack ||
        p.y < box.y - slack ||
        p.y > box.y + box.height + slack,
    )
    .map(({ j }) => j);
  if (outside.length === 0) return [];
  const strong = outside.length >= BOX_STRONG_SHARE * placed.length;
  return [
    flag(
      "box-off-joints",
      strong ? "strong" : "warning",
      strong
        ? `The hand's box is off its joints (${outside.length} of ${placed.length} lie outside it): it was moved or belongs to another hand. Reset the box to the joints.`
        : `${outside.map(label).join(", ")} ${outside.length === 1 ? "lies" : "lie"} outside the hand's box: enlarge the box or check ${outside.length === 1 ? "that joint" : "those joints"}.`,
      outside,
    ),
  ];
}
