/**
 * One annotator's labels for one image, as the workspace edits and the save endpoint stores them.
 * Hands reuse lib/hand/schema.ts; what depends on the image and the project (its size, gesture list,
 * attributes, flags) is checked by `annotationDocProblems`.
 */
import { z } from "zod";
import { ZHand, keypointsOutsideImage, type THand } from "@/lib/hand/schema";
import { JOINT_NAMES } from "@/lib/hand/skeleton";

export const MAX_HANDS_PER_IMAGE = 12;

/**
 * The shape of the stored labels (Annotation.schemaVersion): written at every save, checked at every
 * read. Raise it, with a migration of the stored rows, when the stored document changes shape.
 */
export const ANNOTATION_SCHEMA_VERSION = 1;

export const ZAnnotationDoc = z.object({
  hands: z.array(ZHand).max(MAX_HANDS_PER_IMAGE, `At most ${MAX_HANDS_PER_IMAGE} hands per image`),
  /** The annotator confirms the image shows no hand at all. */
  noHands: z.boolean().default(false),
  /** The project's image-level flags that apply. */
  imageFlags: z.array(z.string().min(1).max(60)).max(50).default([]),
});
export type TAnnotationDoc = z.infer<typeof ZAnnotationDoc>;

export const MAX_MODEL_PREDICTION_BYTES = 64 * 1024;

export const ZSaveAnnotation = z.object({
  /** The version the client edited: a stale one is refused with 409. */
  version: z.number().int().min(1),
  doc: ZAnnotationDoc,
  /** Active (non-idle) milliseconds since the previous save. */
  activeMs: z
    .number()
    .int()
    .min(0)
    .max(10 * 60 * 1000)
    .default(0),
  /** "model_assisted" once the annotator used the model's detections; absent leaves the stored source as it is. */
  source: z.enum(["manual", "model_assisted"]).optional(),
  /** The model's raw output for this image (lib/assist), kept beside the labels; absent leaves the stored one. */
  modelPrediction: z
    .unknown()
    .refine(
      (value) => value === undefined || isSmallJson(value, MAX_MODEL_PREDICTION_BYTES),
      `The model prediction must be JSON of at most ${MAX_MODEL_PREDICTION_BYTES / 1024} KiB`,
    )
    .optional(),
});

function isSmallJson(value: unknown, maxBytes: number): boolean {
  if (value === null || typeof value !== "object") return false;
  try {
    return new TextEncoder().encode(JSON.stringify(value)).length <= maxBytes;
  } catch {
    return false;
  }
}
export type TSaveAnnotation = z.infer<typeof ZSaveAnnotation>;

export const ZSkipAnnotation = z.object({ reason: z.string().trim().min(1, "Say why you skip this image").max(500) });
export type TSkipAnnotation = z.infer<typeof ZSkipAnnotation>;

/** Handing in the saved labels names the version handed in, so a stale tab cannot submit. */
export const ZSubmitAnnotation = z.object({
  version: z.number().int().min(1, "Send the version you are submitting"),
  /** Active milliseconds since the last save (the seconds before submitting count too). */
  activeMs: z
    .number()
    .int()
    .min(0)
    .max(10 * 60 * 1000)
    .default(0),
});
export type TSubmitAnnotation = z.input<typeof ZSubmitAnnotation>;

export type TAnnotationContext = {
  width: number;
  height: number;
  gestures: readonly string[];
  handAttributes: readonly string[];
  imageFlags: readonly string[];
};

/**
 * What the schema cannot know: coordinates inside this image, and metadata values from this
 * project's lists. Returns field path → message (empty when the document fits).
 */
export function annotationDocProblems(doc: TAnnotationDoc, context: TAnnotationContext): Record<string, string> {
  const problems: Record<string, string> = {};
  doc.hands.forEach((hand: THand, h) => {
    for (const j of keypointsOutsideImage(hand.keypoints, context.width, context.height)) {
      problems[`doc.hands.${h}.keypoints.${j}`] =
        `${JOINT_NAMES[j]} lies outside the ${context.width}×${context.height} image`;
    }
    if (hand.gesture && !context.gestures.includes(hand.gesture))
      problems[`doc.hands.${h}.gesture`] = `Unknown gesture "${hand.gesture}"`;
    for (const name of Object.keys(hand.attributes)) {
      if (!context.handAttributes.includes(name))
        problems[`doc.hands.${h}.attributes.${name}`] = `Unknown hand attribute "${name}"`;
    }
  });
  doc.imageFlags.forEach((flag, i) => {
    if (!context.imageFlags.includes(flag)) problems[`doc.imageFlags.${i}`] = `Unknown image flag "${flag}"`;
  });
  if (doc.noHands && doc.hands.length > 0)
    problems["doc.noHands"] = "An image marked as having no hands cannot have hands";
  return problems;
}
