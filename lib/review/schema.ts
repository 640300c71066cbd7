/** Review decisions and pins; the review screen and the decide endpoint share these schemas. */
import { z } from "zod";
import { ZAnnotationDoc } from "@/lib/annotate/schema";
import { JOINT_COUNT } from "@/lib/hand/skeleton";

export const ZPin = z.object({
  x: z.number(),
  y: z.number(),
  handIndex: z.number().int().min(0).nullable().default(null),
  jointIndex: z
    .number()
    .int()
    .min(0)
    .max(JOINT_COUNT - 1)
    .nullable()
    .default(null),
  message: z.string().trim().min(1, "A pin needs a message").max(1000),
});
export type TPin = z.infer<typeof ZPin>;

export const ZReviewDecision = z.discriminatedUnion("decision", [
  z.object({
    decision: z.literal("accept"),
    version: z.number().int().min(1),
    comment: z.string().trim().max(4000).default(""),
    /** Accepting is refused while earlier rounds' issues are open, unless the reviewer resolves them all with it. */
    resolveOpenIssues: z.boolean().optional(),
  }),
  z.object({
    decision: z.literal("reject"),
    version: z.number().int().min(1),
    comment: z.string().trim().min(1, "Say what to fix").max(4000),
    pins: z.array(ZPin).max(100).default([]),
  }),
  z.object({
    decision: z.literal("fix_and_accept"),
    version: z.number().int().min(1),
    comment: z.string().trim().max(4000).default(""),
    resolveOpenIssues: z.boolean().optional(),
    /** The reviewer's corrected labels; the annotator's stay in the review's history. */
    doc: ZAnnotationDoc,
  }),
]);
export type TReviewDecision = z.infer<typeof ZReviewDecision>;

/** A manager's correction of accepted labels (the image page's "Fix labels"): recorded as a later review round. */
export const ZLabelCorrection = z.object({
  annotationId: z.string().min(1),
  version: z.number().int().min(1),
  comment: z.string().trim().max(4000).default(""),
  doc: ZAnnotationDoc,
});
export type TLabelCorrection = z.infer<typeof ZLabelCorrection>;
