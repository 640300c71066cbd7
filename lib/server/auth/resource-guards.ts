import "server-only";
import type { TProjectAccess } from "@/lib/server/auth/authorize";
import { requireOwnAnnotation } from "@/lib/server/annotations/authorize-annotation";
import { requireOwnReview } from "@/lib/server/review/load-review";
import { requireImageViewer } from "@/lib/server/images/authorize-image";

/**
 * How a route named by a resource id is authorised: `param` names the id in the path; `authorize`
 * looks up only the resource's project, with the caller's scope in the `where` clause (unknown and
 * other people's resources are 404), and checks the caller's permission there. Used by resourceRoute.
 */
export type TResourceGuard<K extends string> = {
  name: string;
  param: K;
  authorize: (id: string) => Promise<TProjectAccess>;
};

/** The caller's own annotation, in a project where they may write annotations. */
export const ownAnnotation: TResourceGuard<"annotationId"> = {
  name: "own-annotation",
  param: "annotationId",
  authorize: requireOwnAnnotation,
};

/** The caller's own review, in a project where they review, and never of their own work. */
export const ownReview: TResourceGuard<"reviewId"> = {
  name: "own-review",
  param: "reviewId",
  authorize: requireOwnReview,
};

/** An image of a project the caller may view; which renditions they may see is decided per image after this. */
export const projectImage: TResourceGuard<"imageId"> = {
  name: "project-image",
  param: "imageId",
  authorize: requireImageViewer,
};
