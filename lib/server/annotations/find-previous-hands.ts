import "server-only";
import type { THand } from "@/lib/hand/schema";
import { db } from "@/lib/server/db";
import { loadOwnAnnotation } from "./load-own-annotation";
import { HAND_SELECT, handFromRow } from "./read-annotation-doc";

export type TPreviousHands = {
  hands: THand[];
  /** Where they come from; null when there is nothing to copy. */
  source: { annotationId: string; imageId: string; width: number; height: number; updatedAt: Date } | null;
};

/**
 * "Copy the hands of the previous image": the hands of this person's most recently updated other
 * annotation (that has hands) of an image of the same subject. Coordinates are those of that image;
 * `source` gives its size so the client can clamp or rescale.
 */
export async function previousHandsOfSubject(annotationId: string, userId: string): Promise<TPreviousHands> {
  const annotation = await loadOwnAnnotation(annotationId, userId);
  const previous = await db.annotation.findFirst({
    where: {
      annotatorId: userId,
      id: { not: annotationId },
      image: { subjectId: annotation.image.subjectId, projectId: annotation.image.projectId },
      hands: { some: {} },
    },
    orderBy: { updatedAt: "desc" },
    select: {
      id: true,
      updatedAt: true,
      image: { select: { id: true, width: true, height: true } },
      hands: { select: HAND_SELECT, orderBy: { position: "asc" } },
    },
  });
  if (!previous) return { hands: [], source: null };
  return {
    hands: previous.hands.map(handFromRow),
    source: {
      annotationId: previous.id,
      imageId: previous.image.id,
      width: previous.image.width,
      height: previous.image.height,
      updatedAt: previous.updatedAt,
    },
  };
}
