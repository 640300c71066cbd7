import "server-only";
import { AppError } from "@/lib/errors/app-error";
import { db } from "@/lib/server/db";
import { requireProjectPermission, requireUser, type TProjectAccess } from "@/lib/server/auth/authorize";

/**
 * The image's project, looked up within the caller's reach (their projects; any project for an
 * administrator), and the caller's right to view it. Only the project id is read before this passes.
 */
export async function requireImageViewer(imageId: string): Promise<TProjectAccess> {
  const user = await requireUser();
  const image = await db.image.findFirst({
    where: { id: imageId, ...(user.isAdmin ? {} : { project: { memberships: { some: { userId: user.id } } } }) },
    select: { projectId: true },
  });
  if (!image) throw new AppError("not_found", "No such image");
  return requireProjectPermission(image.projectId, "project.view");
}
