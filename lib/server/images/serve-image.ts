import "server-only";
import { AppError } from "@/lib/errors/app-error";
import { decideImageAccess, type TImageVariant } from "@/lib/auth/image-access";
import { requireProjectPermission } from "@/lib/server/auth/authorize";
import { consentDecisions } from "@/lib/server/consent/consent-facts";
import { db } from "@/lib/server/db";
import { recordAuditEvent } from "@/lib/server/audit/record-audit-event";
import { storage } from "@/lib/server/storage/storage";

const KEY_OF: Record<TImageVariant, "originalKey" | "displayKey" | "thumbKey"> = { original: "originalKey", display: "displayKey", thumb: "thumbKey" };

/**
 * The bytes of one rendition of an image, for the signed-in person, after every check: the project
 * (outsiders get 404), the role and assignment, the image's state and its subject's consent.
 * Every read of an original is an audit event.
 */
export async function readImageForViewer(imageId: string, variant: TImageVariant) {
  const image = await db.image.findUnique({
    where: { id: imageId },
    select: { id: true, projectId: true, subjectId: true, state: true, mimeType: true, originalKey: true, displayKey: true, thumbKey: true },
  });
  if (!image) throw new AppError("not_found", "No such image");
  const { user, roles } = await requireProjectPermission(image.projectId, "project.view");
  const [annotation, decisions] = await Promise.all([
    db.annotation.findFirst({ where: { imageId, annotatorId: user.id }, select: { id: true } }),
    consentDecisions([image.subjectId], "annotation"),
  ]);
  const access = decideImageAccess({
    roles,
    isAnnotatorOfImage: !!annotation,
    imageState: image.state,
    consentAllowsAnnotation: decisions.get(image.subjectId)!.allowed,
  });
  if (access === "gone") throw new AppError("gone", "This image was purged");
  if (access === "forbidden") throw new AppError("forbidden", "You may not see this image");
  const key = image[KEY_OF[variant]];
  if (!key) throw new AppError("gone", "This image's files were purged");
  const bytes = await storage().get(key);
  if (variant === "original") {
    await recordAuditEvent({ actorId: user.id, projectId: image.projectId, action: "image.original_viewed", targetType: "image", targetId: image.id });
  }
  return { bytes, mimeType: variant === "original" ? image.mimeType : "image/jpeg" };
}
