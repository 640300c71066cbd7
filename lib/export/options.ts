/** What a manager asks of an export: formats, filters, purpose, splits. Shared by the form, the API and the CLI. */
import { z } from "zod";
import { ZConsentScope } from "@/lib/consent/schema";
import { ZBalanceOptions } from "@/lib/coverage/balance";

export const EXPORT_PURPOSES = ["research", "commercial", "redistribution"] as const;

export const ZExportOptions = z
  .object({
    formats: z
      .array(z.enum(["coco", "yolo", "hf"]))
      .min(1)
      .default(["coco"])
      .describe(
        'COCO keypoints are always written; "yolo" adds Ultralytics pose labels and data.yaml, "hf" a Hugging Face ' +
          "imagefolder metadata.jsonl per split folder and keypoints.json",
      ),
    /** Checked against every subject's consent scopes: an image leaves only with consent for it. */
    purpose: ZConsentScope.exclude(["annotation"]),
    statuses: z
      .array(z.enum(["accepted", "submitted"]))
      .min(1)
      .default(["accepted"]),
    subjectIds: z.array(z.string()).default([]),
    gestures: z.array(z.string()).default([]),
    from: z.coerce.date().optional(),
    to: z.coerce.date().optional(),
    splits: z
      .object({ train: z.number().min(0).max(1), val: z.number().min(0).max(1), test: z.number().min(0).max(1) })
      .refine((s) => Math.abs(s.train + s.val + s.test - 1) < 1e-6, { message: "Split ratios must add up to 1" })
      .default({ train: 0.8, val: 0.1, test: 0.1 }),
    seed: z.number().int().default(42),
    /** Balance over a coverage dimension: cap each value at N images, or sample to given shares (with `seed`). */
    balance: ZBalanceOptions.default({ mode: "none" }),
    /** Exporting unblurred originals is an explicit decision with a recorded reason. */
    unblurred: z.boolean().default(false),
    unblurredReason: z.string().trim().max(1000).optional(),
    /**
     * Adds each image's original file name (as uploaded) to phalanx.json as `original_file_name`; it is a
     * label only, never a path in the archive. Off by default: file names can carry personal data.
     */
    includeOriginalFileNames: z.boolean().default(false),
  })
  .refine((o) => !o.unblurred || (o.unblurredReason && o.unblurredReason.length >= 10), {
    message: "Exporting unblurred originals needs a reason of at least 10 characters",
    path: ["unblurredReason"],
  });
export type TExportOptions = z.infer<typeof ZExportOptions>;
