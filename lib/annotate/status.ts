/** Where an annotation stands. Only draft, submitted, accepted and rejected hold an image's slot. */
export const ANNOTATION_STATUSES = {
  draft: "Claimed and being labelled (holds a lease)",
  submitted: "Handed in; waits for review",
  accepted: "Accepted by review",
  rejected: "Returned to its annotator with comments",
  skipped: "The annotator skipped the image, with a reason",
  expired: "The lease ran out before submission; the image went back to the queue",
} as const;
export type TAnnotationStatus = keyof typeof ANNOTATION_STATUSES;

/** Statuses that count against a project's `annotationsPerImage`. */
export const SLOT_HOLDING_STATUSES = [
  "draft",
  "submitted",
  "accepted",
  "rejected",
] as const satisfies readonly TAnnotationStatus[];

/** Handed-in labellings: two of them on one image (gold runs excluded) are compared for agreement (lib/server/qc/agreement.ts). */
export const COMPARED_STATUSES = ["submitted", "accepted"] as const satisfies readonly TAnnotationStatus[];
