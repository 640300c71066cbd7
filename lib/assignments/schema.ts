/** What a manager sends to assign images: named images, or a batch of the oldest open ones. Framework-free. */
import { z } from "zod";

/** At most this many images per request. */
export const MAX_ASSIGN = 1000;

export const ZAssignImages = z
  .object({
    /** The person who gets the images; null takes them back into the open queue. */
    assigneeId: z.string().min(1).max(64).nullable(),
    /** These images (of this project). */
    imageIds: z.array(z.string().min(1).max(64)).min(1).max(MAX_ASSIGN).optional(),
    /** Or a batch: this many of the oldest active images nobody has started or been assigned. */
    count: z.number().int().min(1).max(MAX_ASSIGN).optional(),
    /** A batch from this subject only. */
    subjectId: z.string().min(1).max(64).optional(),
  })
  .strict()
  .refine((value) => (value.imageIds === undefined) !== (value.count === undefined), {
    message: "Give either imageIds (the images) or count (a batch of the oldest open images), not both",
    path: ["imageIds"],
  })
  .refine((value) => value.count === undefined || value.assigneeId !== null, {
    message: "A batch (count) needs an assignee; to take images back, name them in imageIds",
    path: ["assigneeId"],
  })
  .refine((value) => value.subjectId === undefined || value.count !== undefined, {
    message: "subjectId narrows a batch (count) only",
    path: ["subjectId"],
  });
export type TAssignImages = z.infer<typeof ZAssignImages>;
