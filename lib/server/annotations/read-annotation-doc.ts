import "server-only";
import { z } from "zod";
import { ZHand, type THand } from "@/lib/hand/schema";
import { ANNOTATION_SCHEMA_VERSION, type TAnnotationDoc } from "@/lib/annotate/schema";
import type { TQualityFlag } from "@/lib/qc/flag";
import { occlusionBand } from "@/lib/coverage/dimensions";
import { db } from "@/lib/server/db";
import type { TTx } from "@/lib/server/audit/record-audit-event";

export const HAND_SELECT = {
  position: true,
  handedness: true,
  keypoints: true,
  bbox: true,
  bboxEdited: true,
  gesture: true,
  view: true,
  interaction: true,
  truncated: true,
  skinTone: true,
  attributes: true,
} as const;

type THandRow = {
  handedness: string;
  keypoints: unknown;
  bbox: unknown;
  bboxEdited: boolean;
  gesture: string | null;
  view: string | null;
  interaction: string;
  truncated: boolean;
  skinTone: number | null;
  attributes: unknown;
};

/** A stored Hand row as the hand schema describes it (parsed, so a corrupt row fails loudly). */
export function handFromRow(row: THandRow): THand {
  return ZHand.parse({
    handedness: row.handedness,
    keypoints: row.keypoints,
    bbox: row.bbox ?? null,
    bboxEdited: row.bboxEdited,
    gesture: row.gesture,
    view: row.view,
    interaction: row.interaction,
    truncated: row.truncated,
    skinTone: row.skinTone,
    attributes: row.attributes ?? {},
  });
}

/** Hand rows for createMany: one per hand, `position` = index in the document, with its quality flags. */
export function handRows(annotationId: string, hands: readonly THand[], flags: readonly TQualityFlag[][]) {
  return hands.map((hand, position) => ({
    annotationId,
    position,
    handedness: hand.handedness,
    keypoints: hand.keypoints,
    bbox: hand.bbox ?? undefined,
    bboxEdited: hand.bboxEdited,
    gesture: hand.gesture,
    view: hand.view,
    interaction: hand.interaction,
    truncated: hand.truncated,
    skinTone: hand.skinTone,
    attributes: hand.attributes,
    qualityFlags: flags[position] ?? [],
    occlusionBand: occlusionBand(hand.keypoints),
  }));
}

const ZStoredFlags = z.array(z.string()).catch([]);

/** The stored document of an annotation: hands in position order, the no-hands mark and image flags. */
export async function readAnnotationDoc(
  annotationId: string,
  client: TTx = db,
): Promise<{ version: number; status: string; doc: TAnnotationDoc }> {
  const row = await client.annotation.findUniqueOrThrow({
    where: { id: annotationId },
    select: {
      version: true,
      schemaVersion: true,
      status: true,
      noHands: true,
      imageFlags: true,
      hands: { select: HAND_SELECT, orderBy: { position: "asc" } },
    },
  });
  // Labels stored in a shape this build does not know are refused rather than misread.
  if (row.schemaVersion !== ANNOTATION_SCHEMA_VERSION) {
    throw new Error(
      `Annotation ${annotationId} is stored with schema version ${row.schemaVersion}; this build reads version ${ANNOTATION_SCHEMA_VERSION}`,
    );
  }
  return {
    version: row.version,
    status: row.status,
    doc: { hands: row.hands.map(handFromRow), noHands: row.noHands, imageFlags: ZStoredFlags.parse(row.imageFlags) },
  };
}
