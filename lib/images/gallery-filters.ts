/** Gallery and image-list filters, shared by the manager gallery page and GET …/images. */
import { z } from "zod";

export const IMAGE_STATES = ["active", "quarantined", "purged"] as const;
export const LABEL_STATUSES = ["unlabelled", "draft", "submitted", "accepted", "rejected"] as const;

/** The gallery counts matching images up to this many; beyond it shows "more than …" (counting a million rows on every page view is the cost we avoid). */
export const GALLERY_COUNT_LIMIT = 10_000;

export const ZGalleryFilters = z.object({
  subjectId: z.string().min(1).optional(),
  state: z.enum(IMAGE_STATES).optional(),
  /** The image's label status (LABEL_STATUS_PRECEDENCE), the one the gallery shows. */
  status: z.enum(LABEL_STATUSES).optional(),
  consent: z.enum(["usable", "blocked"]).optional(),
  /** Keyset paging (newest first): the page after the image with this id, or the page before it. Takes precedence over `page`. */
  after: z.string().min(1).max(64).optional(),
  before: z.string().min(1).max(64).optional(),
  /** Offset paging, kept for scripts; deep offsets cost more than `after`. */
  page: z.coerce.number().int().min(1).default(1),
  pageSize: z.coerce.number().int().min(1).max(200).default(60),
});
export type TGalleryFilters = z.infer<typeof ZGalleryFilters>;

/**
 * An image's label status is the furthest its labellings have come, in this order: accepted when any is
 * (the labelling an export takes), else submitted (what coverage counts), rejected, draft; unlabelled when
 * none holds a slot (skipped and expired ones do not). Stored as Image.labelStatus for the gallery filter
 * (lib/server/stats/annotation-rollup.ts keeps it).
 */
export const LABEL_STATUS_PRECEDENCE = ["accepted", "submitted", "rejected", "draft"] as const;

/** The furthest an image's annotations have come, for one status per image in the gallery. */
export function labelStatusOf(statuses: readonly string[]): (typeof LABEL_STATUSES)[number] {
  for (const status of LABEL_STATUS_PRECEDENCE) if (statuses.includes(status)) return status;
  return "unlabelled";
}
