/**
 * Validation schemas for a labelled hand. Types are derived with z.infer so that the schema
 * is the only definition: a route, the canvas and the exporter all agree by construction.
 */
import { z } from "zod";
import { JOINT_COUNT } from "./skeleton";

export const ZKeypointState = z.enum(["visible", "occluded", "absent"]);
export type TKeypointState = z.infer<typeof ZKeypointState>;

// z.number() in zod 4 already rejects NaN and ±Infinity; a coordinate must be a real pixel position.
const ZCoordinate = z.number();

/**
 * One keypoint. An absent point carries no position (DESIGN.md §1: x = y = 0), so whatever
 * the client sent is normalised to 0,0 rather than stored as a stale, misleading position.
 */
export const ZKeypoint = z
  .object({
    x: ZCoordinate,
    y: ZCoordinate,
    state: ZKeypointState,
  })
  .transform((p) => (p.state === "absent" ? { x: 0, y: 0, state: p.state } : p));
export type TKeypoint = z.infer<typeof ZKeypoint>;
export type TKeypointInput = z.input<typeof ZKeypoint>;

export const ZKeypoints = z
  .array(ZKeypoint)
  .length(JOINT_COUNT, { message: `a hand has exactly ${JOINT_COUNT} keypoints` });
export type TKeypoints = z.infer<typeof ZKeypoints>;

/** The person's anatomical hand, not MediaPipe's mirrored-selfie label. */
export const ZHandedness = z.enum(["left", "right", "unknown"]);
export type THandedness = z.infer<typeof ZHandedness>;

export const ZHandView = z.enum(["palm", "back", "side"]);
export type THandView = z.infer<typeof ZHandView>;

export const ZHandInteraction = z.enum(["none", "holding_object", "touching_other_hand", "occluded_by_object"]);
export type THandInteraction = z.infer<typeof ZHandInteraction>;

export const ZBbox = z.object({
  x: ZCoordinate,
  y: ZCoordinate,
  width: z.number().nonnegative(),
  height: z.number().nonnegative(),
});
export type TBbox = z.infer<typeof ZBbox>;

/** Monk Skin Tone scale, 1 (lightest) to 10 (darkest). */
export const ZMonkSkinTone = z.number().int().min(1).max(10);

export const ZHand = z.object({
  handedness: ZHandedness,
  keypoints: ZKeypoints,
  bbox: ZBbox.nullable(),
  /** The box was adjusted by hand and no longer follows the joints. */
  bboxEdited: z.boolean().default(false),
  gesture: z.string().trim().min(1).max(64).nullable(),
  view: ZHandView.nullable(),
  interaction: ZHandInteraction.default("none"),
  truncated: z.boolean().default(false),
  skinTone: ZMonkSkinTone.nullable(),
  attributes: z.record(z.string(), z.union([z.boolean(), z.string()])).default({}),
});
export type THand = z.infer<typeof ZHand>;
export type THandInput = z.input<typeof ZHand>;

/** 21 absent keypoints: the starting point of a new hand. */
export function emptyKeypoints(): TKeypoint[] {
  return Array.from({ length: JOINT_COUNT }, () => ({ x: 0, y: 0, state: "absent" as const }));
}

/**
 * Indices of placed (non-absent) keypoints lying outside [0,width]×[0,height].
 * An empty result means the keypoints fit the image; otherwise the save must be refused.
 */
export function keypointsOutsideImage(keypoints: readonly TKeypointInput[], width: number, height: number): number[] {
  const outside: number[] = [];
  keypoints.forEach((p, i) => {
    if (p.state === "absent") return;
    const inside =
      Number.isFinite(p.x) && Number.isFinite(p.y) && p.x >= 0 && p.x <= width && p.y >= 0 && p.y <= height;
    if (!inside) outside.push(i);
  });
  return outside;
}
