import { syncAnnotationRollup } from "@/lib/server/stats/annotation-rollup";
import "server-only";
import { AppError } from "@/lib/errors/app-error";
import type { TSkipAnnotation } from "@/lib/annotate/schema";
import { db } from "@/lib/server/db";
import { recordAuditEvent } from "@/lib/server/audit/record-audit-event";
import { loadOwnAnnotation } from "./load-own-annotation";

export type TSkipped = { status: "skipped"; version: number };

/**
 * Gives a claimed image back with a reason: the annotation becomes "skipped" (it stops holding the
 * image's slot, so someone else gets the image; this person never gets it again). Only drafts: work
 * returned by review is fixed and submitted again, not skipped. Hands drawn so far are kept.
 */
export async function skipAnnotation(annotationId: string, userId: string, input: TSkipAnnotation): Promise<TSkipped> {
  const annotation = await loadOwnAnnotation(annotationId, userId);
  if (annotation.status === "rejected")
    throw new AppError("conflict", "Work returned by review cannot be skipped; fix it and submit it again");
  if (annotation.status !== "draft") {
    throw new AppError(
      "conflict",
      annotation.status === "skipped"
        ? "You already skipped this image"
        : `An annotation with status "${annotation.status}" cannot be skipped`,
    );
  }
  const { reason } = input;
  return db.$transaction(async (tx) => {
    const { count } = await tx.annotation.updateMany({
      where: { id: annotationId, status: "draft" },
      data: { status: "skipped", skipReason: reason, leaseExpiresAt: null, version: { increment: 1 } },
    });
    if (count === 0)
      throw new AppError("conflict", "This annotation changed at the same moment (submitted or expired); reload it");
    await syncAnnotationRollup(tx, [annotationId]);
    await recordAuditEvent(
      {
        actorId: userId,
        projectId: annotation.image.projectId,
        action: "annotation.skipped",
        targetType: "annotation",
        targetId: annotationId,
        details: { imageId: annotation.image.id, reason },
      },
      tx,
    );
    const { version } = await tx.annotation.findUniqueOrThrow({
      where: { id: annotationId },
      select: { version: true },
    });
    return { status: "skipped" as const, version };
  });
}
