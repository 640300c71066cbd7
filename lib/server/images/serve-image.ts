import "server-only";
import { AppError } from "@/lib/errors/app-error";
import type { TImageVariant } from "@/lib/auth/image-access";
import type { TProjectAccess } from "@/lib/server/auth/authorize";
import { imageAccessOf } from "./image-access-of";
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

const KEY_OF: Record<TImageVariant, "originalKey" | "displayKey" | "thumbKey"> = {
  original: "originalKey",
  display: "displayKey",
  thumb: "thumbKey",
};

/**
 * The bytes of one rendition of an image, for a caller already authorised in the image's project
 * (lib/server/images/authorize-image.ts, run by the route's guard): then the role and assignment,
 * the image's state and its subject's consent. Every read of an original is an audit event.
 */
export async function readImageForViewer(access: TProjectAccess, imageId: string, variant: TImageVariant) {
  const { user, roles } = access;
  const image = await db.image.findFirst({
    where: { id: imageId, projectId: access.projectId },
    select: {
      id: true,
      projectId: true,
      subjectId: true,
      state: true,
      mimeType: true,
      width: true,
      height: true,
      originalKey: true,
      displayKey: true,
      thumbKey: true,
    },
  });
  if (!image) throw new AppError("not_found", "No such image");
  const decision = await imageAccessOf(image, user.id, roles, variant);
  if (decision === "gone") throw new AppError("gone", "This image was purged");
  if (decision === "forbidden") throw new AppError("forbidden", "You may not see this image");
  const key = image[KEY_OF[variant]];
  if (!key) throw new AppError("gone", "This image's files were purged");
  let bytes = await storage().get(key);
  // Thumbnails appear in galleries, to people who are not labelling the image: once it has labelled
  // fingertips, they are blurred like an exported image.
  if (variant === "thumb") bytes = await blurredThumbnail(image, bytes);
  if (variant === "original") {
    await recordAuditEvent({
      actorId: user.id,
      projectId: image.projectId,
      action: "image.original_viewed",
      targetType: "image",
      targetId: image.id,
    });
  }
  return {
    bytes,
    mimeType: variant === "original" ? image.mimeType : "image/jpeg",
    image: { width: image.width, height: image.height },
  };
}
