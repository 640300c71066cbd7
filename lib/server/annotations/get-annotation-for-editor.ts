import "server-only";
import type { TAnnotationDoc } from "@/lib/annotate/schema";
import { db } from "@/lib/server/db";
import { getProjectOrThrow } from "@/lib/server/projects/project-settings";
import { imageUnusableReason, loadOwnAnnotation, notEditableReason } from "./load-own-annotation";
import { readAnnotationDoc } from "./read-annotation-doc";
import { readMediaPipePrediction } from "@/lib/server/db/json-columns";
import type { TModelPrediction } from "@/lib/assist/mediapipe";

export type TReviewPin = { x: number; y: number; handIndex: number | null; jointIndex: number | null; message: string };

export type TEditorPayload = {
  annotation: {
    id: string;
    status: string;
    version: number;
    leaseExpiresAt: Date | null;
    submittedAt: Date | null;
    skipReason: string | null;
    timeSpentMs: number;
    updatedAt: Date;
  };
  image: { id: string; width: number; height: number };
  project: { id: string; gestures: string[]; handAttributes: string[]; imageFlags: string[]; leaseMinutes: number };
  doc: TAnnotationDoc;
  version: number;
  status: string;
  leaseExpiresAt: Date | null;
  /** False when the labels can no longer be changed; `readOnlyReason` says why. */
  editable: boolean;
  readOnlyReason: string | null;
  /** For returned work (status "rejected"): the latest review's comment and pins. */
  review: { comment: string; pins: TReviewPin[]; decidedAt: Date | null } | null;
  /** The model's stored proposals for this annotation (pre-annotation, Detect, region assist), if any. */
  modelPrediction: TModelPrediction | null;
};

/** Everything the annotation workspace needs to open one of the person's annotations. */
export async function getAnnotationForEditor(
  annotationId: string,
  userId: string,
  now = new Date(),
): Promise<TEditorPayload> {
  const annotation = await loadOwnAnnotation(annotationId, userId);
  const [project, { doc }, unusable, review, stored] = await Promise.all([
    getProjectOrThrow(annotation.image.projectId),
    readAnnotationDoc(annotationId),
    imageUnusableReason(annotation.image, now),
    annotation.status === "rejected"
      ? db.review.findFirst({
          where: { annotationId, decision: "reject" },
          orderBy: [{ decidedAt: "desc" }, { createdAt: "desc" }],
          select: {
            comment: true,
            decidedAt: true,
            pins: { select: { x: true, y: true, handIndex: true, jointIndex: true, message: true } },
          },
        })
      : null,
    db.annotation.findUnique({ where: { id: annotationId }, select: { modelPrediction: true } }),
  ]);
  const readOnlyReason = notEditableReason(annotation.status) ?? unusable;
  return {
    annotation: {
      id: annotation.id,
      status: annotation.status,
      version: annotation.version,
      leaseExpiresAt: annotation.leaseExpiresAt,
      submittedAt: annotation.submittedAt,
      skipReason: annotation.skipReason,
      timeSpentMs: annotation.timeSpentMs,
      updatedAt: annotation.updatedAt,
    },
    image: { id: annotation.image.id, width: annotation.image.width, height: annotation.image.height },
    project: {
      id: project.id,
      gestures: [...project.gestures],
      handAttributes: [...project.handAttributes],
      imageFlags: [...project.imageFlags],
      leaseMinutes: project.leaseMinutes,
    },
    doc,
    version: annotation.version,
    status: annotation.status,
    leaseExpiresAt: annotation.leaseExpiresAt,
    modelPrediction: readMediaPipePrediction(stored?.modelPrediction ?? null),
    editable: readOnlyReason === null,
    readOnlyReason,
    review: review ? { comment: review.comment, pins: review.pins, decidedAt: review.decidedAt } : null,
  };
}
