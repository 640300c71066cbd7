import "server-only";
import { AppError } from "@/lib/errors/app-error";
import type { TImageVariant } from "@/lib/auth/image-access";
import { imageAccessOf } from "./image-access-of";
import { requireProjectPermission, requireUser } from "@/lib/server/auth/authorize";
import { db } from "@/lib/server/db";
import { recordAuditEvent } from "@/lib/server/audit/record-audit-event";
import { storage } from "@/lib/server/storage/storage";
import sharp from "sharp";
import { readAnnotationDoc } from "@/lib/server/annotations/read-annotation-doc";
import { blurRendition } from "@/lib/server/blur/blur-rendition";

async function blurredThumbnail(image: { id: string; width: number; height: number }, bytes: Buffer): Promise<Buffer> {
  const labelled = await db.annotation.findFirst({
    where: { imageId: image.id, hands: { some: {} }, status: { in: ["accepted", "submitted", "rejected", "draft"] } },
    orderBy: [{ isGold: "desc" }, { updatedAt: "desc" }],
    select: { id: true },
  });
  if (!labelled) return bytes;
  const { doc } = await readAnnotationDoc(labelled.id);
  const { width, height } = await sharp(bytes).metadata();
  return blurRendition(bytes, { width: width!, height: height! }, image, doc.hands);
}

const KEY_OF: Record<TImageVariant, "originalKey" | "displayKey" | "thumbKey"> = { original: "originalKey", display: "displayKey", thumb: "thumbKey" };

/**
 * The bytes of one rendition of an image, for the signed-in person, after every check: the project
 * (outsiders get 404), the role and assignment, the image's state and its subject's consent.
 * Every read of an original is an audit event.
 */
export async function readImageForViewer(imageId: string, variant: TImageVariant) {
  // Signed in first: an anonymous visitor learns nothing, not even whether the id exists.
  await requireUser();
  const image = await db.image.findUnique({
    where: { id: imageId },
    select: { id: true, projectId: true, subjectId: true, state: true, mimeType: true, width: true, height: true, originalKey: true, displayKey: true, thumbKey: true },
  });
  const noSuchImage = () => new AppError("not_found", "No such image");
  if (!image) throw noSuchImage();
  const { user, roles } = await requireProjectPermission(image.projectId, "project.view").catch((error: unknown) => {
    // An image of a project the person is not in answers exactly like a missing one.
    throw error instanceof AppError && error.code === "not_found" ? noSuchImage() : error;
  });
  const access = await imageAccessOf(image, user.id, roles, variant);
  if (access === "gone") throw new AppError("gone", "This image was purged");
  if (access === "forbidden") throw new AppError("forbidden", "You may not see this image");
  const key = image[KEY_OF[variant]];
  if (!key) throw new AppError("gone", "This image's files were purged");
  let bytes = await storage().get(key);
  // Thumbnails appear in galleries, to people who are not labelling the image: once it has labelled
  // fingertips, they are blurred like an exported image.
  if (variant === "thumb") bytes = await blurredThumbnail(image, bytes);
  if (variant === "original") {
    await recordAuditEvent({ actorId: user.id, projectId: image.projectId, action: "image.original_viewed", targetType: "image", targetId: image.id });
  }
  return { bytes, mimeType: variant === "original" ? image.mimeType : "image/jpeg" };
}
