import "server-only";
import { AppError } from "@/lib/errors/app-error";
import type { TAnnotationStatus } from "@/lib/annotate/status";
import { db } from "@/lib/server/db";
import { consentDecisions } from "@/lib/server/consent/consent-facts";

const OWN_SELECT = {
  id: true,
  annotatorId: true,
  status: true,
  version: true,
  leaseExpiresAt: true,
  submittedAt: true,
  skipReason: true,
  timeSpentMs: true,
  noHands: true,
  imageFlags: true,
  updatedAt: true,
  image: { select: { id: true, projectId: true, subjectId: true, width: true, height: true, state: true } },
} as const;

/** An annotation of `userId`; anybody else's, like an unknown id, is "not found" (its existence never leaks). */
export async function loadOwnAnnotation(annotationId: string, userId: string) {
  const annotation = await db.annotation.findUnique({ where: { id: annotationId }, select: OWN_SELECT });
  if (!annotation || annotation.annotatorId !== userId) throw new AppError("not_found", "No such annotation");
  return annotation;
}
export type TOwnAnnotation = Awaited<ReturnType<typeof loadOwnAnnotation>>;

/** Statuses whose labels their annotator may still change: a claimed draft, and work returned by review. */
export const EDITABLE_STATUSES = ["draft", "rejected"] as const satisfies readonly TAnnotationStatus[];

/** Why an annotation in this status cannot be edited, or null when it can. */
export function notEditableReason(status: string): string | null {
  switch (status) {
    case "draft":
    case "rejected":
      return null;
    case "submitted":
      return "This annotation was already submitted; it can no longer be edited (a reviewer may return it to you)";
    case "accepted":
      return "This annotation was already accepted in review; it can no longer be edited";
    case "skipped":
      return "You skipped this image; its annotation can no longer be edited";
    case "expired":
      return "Your claim on this image expired and the image went back to the queue; claim a new image";
    default:
      return `An annotation with status "${status}" cannot be edited`;
  }
}

export function assertEditable(status: string): void {
  const reason = notEditableReason(status);
  if (reason) throw new AppError("conflict", reason);
}

/**
 * Why labels of this image may no longer be written, or null when they may: the image must be
 * active and its subject's consent must allow annotation now (consent-facts.ts decides).
 */
export async function imageUnusableReason(
  image: { subjectId: string; state: string },
  now = new Date(),
): Promise<string | null> {
  const decision = (await consentDecisions([image.subjectId], "annotation", now)).get(image.subjectId);
  if (decision && !decision.allowed && decision.reason === "withdrawn")
    return "Consent was withdrawn; this image left the queue and its labels can no longer be saved";
  if (image.state !== "active")
    return `This image was ${image.state === "purged" ? "purged" : "quarantined"}; it left the queue and its labels can no longer be saved`;
  if (!decision?.allowed)
    return `Consent no longer allows annotation (${decision?.message ?? "no consent record"}); this image left the queue`;
  return null;
}

export async function assertImageUsable(image: { subjectId: string; state: string }, now = new Date()): Promise<void> {
  const reason = await imageUnusableReason(image, now);
  if (reason) throw new AppError("conflict", reason);
}
