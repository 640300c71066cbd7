import "server-only";
import { AppError } from "@/lib/errors/app-error";
import { db } from "@/lib/server/db";
import { requireProjectPermission, requireUser, type TProjectAccess } from "@/lib/server/auth/authorize";

/**
 * For route handlers: the signed-in person may write annotations in the annotation's project and the
 * annotation is theirs. Unknown and other people's annotations are 404.
 */
export async function requireOwnAnnotation(annotationId: string): Promise<TProjectAccess> {
  const user = await requireUser();
  const annotation = await db.annotation.findUnique({ where: { id: annotationId }, select: { annotatorId: true, image: { select: { projectId: true } } } });
  if (!annotation || annotation.annotatorId !== user.id) throw new AppError("not_found", "No such annotation");
  return requireProjectPermission(annotation.image.projectId, "annotations.write");
}
