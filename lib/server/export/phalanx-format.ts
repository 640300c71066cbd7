import "server-only";
import { z } from "zod";
import { ZHand, type THand } from "@/lib/hand/schema";
import { ZPin } from "@/lib/review/schema";
import { ZQualityFlag } from "@/lib/qc/flag";
import { db } from "@/lib/server/db";
import { HAND_SELECT, handFromRow } from "@/lib/server/annotations/read-annotation-doc";
import { ANNOTATION_SCHEMA_VERSION } from "@/lib/annotate/schema";
import type { TExportItem } from "./select-export-items";

/** One image in the project's own full-fidelity export format (phalanx.json). */
export const ZPhalanxItem = z.object({
  imageId: z.string(),
  file_name: z.string(),
  split: z.enum(["train", "val", "test"]),
  width: z.number().int(),
  height: z.number().int(),
  subjectCode: z.string(),
  /** The image's file name as uploaded, when the export asked for it (never used as a path). */
  original_file_name: z.string().optional(),
  annotation: z.object({
    id: z.string(),
    status: z.string(),
    source: z.string(),
    timeSpentMs: z.number().int(),
    noHands: z.boolean(),
    imageFlags: z.array(z.string()),
    isGold: z.boolean(),
    qualityFlags: z.array(ZQualityFlag.extend({ hand: z.number().int() })),
  }),
  hands: z.array(ZHand),
  reviews: z.array(
    z.object({
      round: z.number().int(),
      decision: z.string().nullable(),
      comment: z.string(),
      decidedAt: z.string().nullable(),
      pins: z.array(ZPin),
    }),
  ),
});

export const PHALANX_ITEM_SCHEMA = {
  $comment: "phalanx.json is a JSON array of these items",
  ...z.toJSONSchema(z.array(ZPhalanxItem), { io: "input", unrepresentable: "any" }),
};

const ZStoredFlags = z.array(z.string()).catch([]);
const ZStoredQualityFlags = z.array(ZQualityFlag.extend({ hand: z.number().int() })).catch([]);

/** What an export needs of one labelled image, read once: its phalanx.json item (hands included). */
export type TPhalanxItem = Omit<z.input<typeof ZPhalanxItem>, "hands"> & { hands: THand[] };

/**
 * The phalanx.json items of many images in one query (annotation, hands, decided reviews with pins, image size),
 * in the order of `items`. Every other part of the export (COCO, YOLO, HF, datasheet, blur) is derived from these.
 */
export async function readPhalanxItems(
  items: readonly (TExportItem & { split: "train" | "val" | "test"; fileName: string })[],
  options: { includeOriginalFileNames?: boolean } = {},
): Promise<TPhalanxItem[]> {
  const rows = await db.annotation.findMany({
    where: { id: { in: items.map((item) => item.annotationId) } },
    select: {
      id: true,
      status: true,
      source: true,
      timeSpentMs: true,
      isGold: true,
      qualityFlags: true,
      schemaVersion: true,
      noHands: true,
      imageFlags: true,
      hands: { select: HAND_SELECT, orderBy: { position: "asc" } },
      image: { select: { width: true, height: true, originalFilename: true } },
      reviews: {
        where: { decision: { not: null } },
        orderBy: { round: "asc" },
        select: {
          round: true,
          decision: true,
          comment: true,
          decidedAt: true,
          pins: { select: { x: true, y: true, handIndex: true, jointIndex: true, message: true } },
        },
      },
    },
  });
  const rowOf = new Map(rows.map((row) => [row.id, row]));
  return items.map((item) => {
    const row = rowOf.get(item.annotationId);
    if (!row) throw new Error(`Annotation ${item.annotationId} of image ${item.imageId} disappeared during the export`);
    // Labels stored in a shape this build does not know are refused rather than misread.
    if (row.schemaVersion !== ANNOTATION_SCHEMA_VERSION)
      throw new Error(
        `Annotation ${row.id} is stored with schema version ${row.schemaVersion}; this build reads version ${ANNOTATION_SCHEMA_VERSION}`,
      );
    return {
      imageId: item.imageId,
      file_name: item.fileName,
      split: item.split,
      width: row.image.width,
      height: row.image.height,
      subjectCode: item.subjectCode,
      ...(options.includeOriginalFileNames ? { original_file_name: row.image.originalFilename } : {}),
      annotation: {
        id: row.id,
        status: row.status,
        source: row.source,
        timeSpentMs: row.timeSpentMs,
        noHands: row.noHands,
        imageFlags: ZStoredFlags.parse(row.imageFlags),
        isGold: row.isGold,
        qualityFlags: ZStoredQualityFlags.parse(row.qualityFlags),
      },
      hands: row.hands.map(handFromRow),
      reviews: row.reviews.map((r) => ({ ...r, decidedAt: r.decidedAt?.toISOString() ?? null })),
    };
  });
}
