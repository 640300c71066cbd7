/**
 * Who may see which rendition of an image (DESIGN.md §3.3). Pure; lib/server/images/serve-image.ts
 * applies it to every image request after the project check (outsiders already got a 404).
 */
import type { TProjectRole } from "./permissions";

export const IMAGE_VARIANTS = ["original", "display", "thumb"] as const;
export type TImageVariant = (typeof IMAGE_VARIANTS)[number];

export type TImageAccessFacts = {
  roles: readonly TProjectRole[];
  variant: TImageVariant;
  /**
   * The person's work on this image holds its slot (claimed, submitted, accepted or returned; not
   * skipped or expired): enough for the display copy and the thumbnail.
   */
  isAnnotatorOfImage: boolean;
  /** Their work needs the original now: an unexpired claim, or their annotation awaiting review or returned to them. */
  annotatorNeedsOriginal: boolean;
  /** The image is in a review the person holds now (claimed, undecided, lease not run out). */
  reviewerNeedsOriginal: boolean;
  imageState: "active" | "quarantined" | "purged" | string;
  /** lib/consent/rules.ts: may the image be used for annotation now? */
  consentAllowsAnnotation: boolean;
};

export type TImageAccess = "allow" | "forbidden" | "gone";

/**
 * Originals by need (least privilege): annotators and reviewers read an original only while their
 * current work needs it, so claiming and skipping harvests nothing and access ends with the work.
 */
export function decideImageAccess(facts: TImageAccessFacts): TImageAccess {
  if (facts.imageState === "purged") return "gone";
  // Managers keep sight of quarantined images and of images awaiting consent, to resolve them.
  if (facts.roles.includes("manager")) return "allow";
  if (facts.imageState !== "active" || !facts.consentAllowsAnnotation) return "forbidden";
  const reviewer = facts.roles.includes("reviewer");
  const annotator = facts.roles.includes("annotator");
  if (facts.variant === "original") {
    if (reviewer && facts.reviewerNeedsOriginal) return "allow";
    if (annotator && facts.annotatorNeedsOriginal) return "allow";
    return "forbidden";
  }
  if (reviewer) return "allow";
  if (annotator && facts.isAnnotatorOfImage) return "allow";
  return "forbidden";
}
