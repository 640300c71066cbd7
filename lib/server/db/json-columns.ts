import "server-only";
import { z } from "zod";
import { ZAnnotationDoc } from "@/lib/annotate/schema";
import { ZModelPrediction } from "@/lib/assist/mediapipe";
import { ZPreAnnotation } from "@/lib/images/pre-annotation";
import { ZHandFlag } from "@/lib/qc/annotation-flags";
import type { Prisma } from "./open";

/**
 * One JSON column, typed by its zod schema: services write it only through `write` (checked, so
 * nothing malformed is stored) and read it only through `read` (parsed, so a corrupt value fails
 * loudly, naming the column, instead of travelling on as a cast).
 */
export function jsonColumn<T extends z.ZodType>(column: string, schema: T) {
  return {
    column,
    read(value: unknown): z.output<T> {
      const parsed = schema.safeParse(value);
      if (!parsed.success)
        throw new Error(`${column} holds a value its schema refuses: ${z.prettifyError(parsed.error)}`);
      return parsed.data;
    },
    write(value: z.input<T>): Prisma.InputJsonValue {
      return schema.parse(value) as Prisma.InputJsonValue;
    },
  };
}

/** Annotation.qualityFlags: the flags of every hand at the last save, plus the rubber-stamp flag at submit. */
export const annotationQualityFlagsColumn = jsonColumn("Annotation.qualityFlags", z.array(ZHandFlag));

/** Image.preAnnotation: hands proposed before anyone claims the image (null when none). */
export const imagePreAnnotationColumn = jsonColumn("Image.preAnnotation", ZPreAnnotation.nullable());

/** Review.fixedHands: the reviewer's labels of a "fix and accept". */
export const reviewFixedHandsColumn = jsonColumn("Review.fixedHands", ZAnnotationDoc);

/** Review.returnedDoc: the labels a reviewer returned (reject), for "what changed since" in the next round. */
export const reviewReturnedDocColumn = jsonColumn("Review.returnedDoc", ZAnnotationDoc);

/**
 * Annotation.modelPrediction: the model's raw output. The save API accepts any JSON object of at most
 * 64 KiB here, so a stored value of another shape is kept as sent but is not a MediaPipe prediction:
 * read as null, it is not measured against.
 */
export function readMediaPipePrediction(value: unknown) {
  const parsed = ZModelPrediction.safeParse(value);
  return parsed.success ? parsed.data : null;
}
