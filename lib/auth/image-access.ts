/**
 * Who may see which rendition of an image (DESIGN.md §3.3). Pure; lib/server/images/serve-image.ts
 * applies it to every image request after the project check (outsiders already got a 404).
 */
import type { TProjectRole } from "./permissions";

export const IMAGE_VARIANTS = ["original", "display", "thumb"] as const;
export type TImageVariant = (typeof IMAGE_VARIANTS)[number];

export type TImageAccessFacts = {
  roles: readonly TProjectRole[];
  /** The person holds an annotation of this image (claimed or done). */
  isAnnotatorOfImage: boolean;
  imageState: "active" | "quarantined" | "purged" | string;
  /** lib/consent/rules.ts: may the image be used for annotation now? */
  consentAllowsAnnotation: boolean;
};

export type TImageAccess = "allow" | "forbidden" | "gone";

export function decideImageAccess(facts: TImageAccessFacts): TImageAccess {
  if (facts.imageState === "purged") return "gone";
  // Managers keep sight of quarantined images and of images awaiting consent, to resolve them.
  if (facts.roles.includes("manager")) return "allow";
  if (facts.imageState !== "active" || !facts.consentAllowsAnnotation) return "forbidden";
  if (facts.roles.includes("reviewer")) return "allow";
  if (facts.roles.includes("annotator") && facts.isAnnotatorOfImage) return "allow";
  return "forbidden";
}
