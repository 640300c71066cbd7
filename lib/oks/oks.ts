/**
 * Object Keypoint Similarity (COCO), exactly as DESIGN.md §4 states it:
 *
 *   OKS = Σ_i exp(-d_i² / (2 s² k_i²)) · [v_i > 0] / Σ_i [v_i > 0],   k_i = 2σ_i,   s² = area
 *
 * `b` is the reference (ground truth) and `a` the hand compared with it (prediction, or a second annotator).
 * - v_i comes from the reference: only joints placed in `b` (visible or occluded, COCO v 1 or 2) count.
 * - A joint placed in `b` but absent in `a` contributes 0 (a miss), rather than COCO's distance to the
 *   prediction's coordinates: our absent joints carry no coordinates (x = y = 0 is not a position).
 * - area: `options.area` if given, else the reference's stored box `b.bbox`, else the box derived from its
 *   keypoints by bboxFromKeypoints (the same padded box the editor draws).
 * - Returns null when the score is undefined: no joint placed in `b`, or an area that is not positive.
 */
import { bboxArea, bboxFromKeypoints } from "@/lib/hand/bbox";
import type { THand } from "@/lib/hand/schema";
import { JOINT_COUNT } from "@/lib/hand/skeleton";
import { COCO_WHOLEBODY_HAND_SIGMAS } from "./sigmas";

export type OksOptions = {
  /** 21 per-joint sigmas; default COCO_WHOLEBODY_HAND_SIGMAS. */
  sigmas?: readonly number[];
  /** s², in square pixels; default the reference hand's box area. */
  area?: number;
};

function placed(hand: THand, i: number): boolean {
  const p = hand.keypoints[i];
  return !!p && p.state !== "absent" && Number.isFinite(p.x) && Number.isFinite(p.y);
}

/** The reference area OKS uses for a hand when none is given: its stored box, else the keypoints' box. */
export function handArea(hand: THand): number {
  return hand.bbox ? bboxArea(hand.bbox) : bboxArea(bboxFromKeypoints(hand.keypoints));
}

export function oks(a: THand, b: THand, options: OksOptions = {}): number | null {
  const sigmas = options.sigmas ?? COCO_WHOLEBODY_HAND_SIGMAS;
  if (sigmas.length !== JOINT_COUNT) throw new RangeError(`oks needs ${JOINT_COUNT} sigmas, got ${sigmas.length}`);
  const area = options.area ?? handArea(b);
  if (!(area > 0) || !Number.isFinite(area)) return null;

  let sum = 0;
  let counted = 0;
  for (let i = 0; i < JOINT_COUNT; i++) {
    if (!placed(b, i)) continue;
    counted++;
    if (!placed(a, i)) continue; // a miss: contributes exp(-∞) = 0
    const dx = a.keypoints[i]!.x - b.keypoints[i]!.x;
    const dy = a.keypoints[i]!.y - b.keypoints[i]!.y;
    const k = 2 * sigmas[i]!;
    sum += Math.exp(-(dx * dx + dy * dy) / (2 * area * k * k));
  }
  return counted === 0 ? null : sum / counted;
}
