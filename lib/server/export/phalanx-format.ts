import "server-only";
import { z } from "zod";
import { ZHand } from "@/lib/hand/schema";
import { ZPin } from "@/lib/review/schema";
import { ZQualityFlag } from "@/lib/qc/flag";
import { db } from "@/lib/server/db";
import { readAnnotationDoc } from "@/lib/server/annotations/read-annotation-doc";
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

export async function phalanxItem(
  item: TExportItem,
  fileName: string,
  split: "train" | "val" | "test",
  options: { includeOriginalFileNames?: boolean } = {},
): Promise<z.input<typeof ZPhalanxItem>> {
  const [row, { doc }] = await Promise.all([
    db.annotation.findUniqueOrThrow({
      where: { id: item.annotationId },
      select: {
        id: true,
        status: true,
        source: true,
        timeSpentMs: true,
        isGold: true,
        qualityFlags: true,
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
    }),
    readAnnotationDoc(item.annotationId),
  ]);
  return {
    imageId: item.imageId,
    file_name: fileName,
    split,
    width: row.image.width,
    height: row.image.height,
    subjectCode: item.subjectCode,
    ...(options.includeOriginalFileNames ? { original_file_name: row.image.originalFilename } : {}),
    annotation: {
      id: row.id,
      status: row.status,
      source: row.source,
      timeSpentMs: row.timeSpentMs,
      noHands: doc.noHands,
      imageFlags: doc.imageFlags,
      isGold: row.isGold,
      qualityFlags: z
        .array(ZQualityFlag.extend({ hand: z.number().int() }))
        .catch([])
        .parse(row.qualityFlags),
    },
    hands: doc.hands,
    reviews: row.reviews.map((r) => ({ ...r, decidedAt: r.decidedAt?.toISOString() ?? null })),
  };
}
