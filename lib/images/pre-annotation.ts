/** Labels proposed for an image before anyone claims it (a COCO import, or the model run by a manager). */
import { z } from "zod";
import { ZHand } from "@/lib/hand/schema";

export const ZPreAnnotation = z.object({
  source: z.enum(["imported", "model_assisted"]),
  hands: z.array(ZHand).max(12),
  /** The model's raw output, kept beside the labels it produced (JSON, at most 64 KiB). */
  prediction: z
    .unknown()
    .optional()
    .refine((value) => value === undefined || JSON.stringify(value).length <= 64 * 1024, {
      message: "The raw prediction is larger than 64 KiB",
    }),
});
export type TPreAnnotation = z.infer<typeof ZPreAnnotation>;
