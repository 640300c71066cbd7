import "server-only";
import { AppError } from "@/lib/errors/app-error";
import { db } from "@/lib/server/db";
import { requireProjectPermission, requireUser, type TProjectAccess } from "@/lib/server/auth/authorize";

/**
 * For routes and pages: the annotation is the signed-in person's and they may write annotations in its
 * project. The lookup is scoped to the caller, so unknown and other people's annotations are 404.
 */
export async function requireOwnAnnotation(annotationId: string): Promise<TProjectAccess> {
  const user = await requireUser();
  const annotation = await db.annotation.findFirst({
    where: { id: annotationId, annotatorId: user.id },
    select: { image: { select: { projectId: true } } },
  });
  if (!annotation) throw new AppError("not_found", "No such annotation");
  return requireProjectPermission(annotation.image.projectId, "annotations.write");
}
