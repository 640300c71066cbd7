import "server-only";
import { z } from "zod";
import { coverageStage } from "@/lib/coverage/stage";
import { imageFlagKey, occlusionBand } from "@/lib/coverage/dimensions";
import { ZKeypoints } from "@/lib/hand/schema";
import { db } from "@/lib/server/db";
import type { TTx } from "@/lib/server/audit/record-audit-event";

const ZFlags = z.array(z.string()).catch([]);

/**
 * Copies an annotation's coverage facts (project, image, subject, stage from its status, image flags)
 * onto its Hand rows. Called in the same transaction as every write of hands or of the status.
 */
export async function refreshHandCoverage(tx: TTx, annotationId: string): Promise<void> {
  const a = await tx.annotation.findUnique({
    where: { id: annotationId },
    select: {
      status: true,
      goldScore: true,
      imageFlags: true,
      imageId: true,
      image: { select: { projectId: true, subjectId: true, state: true } },
    },
  });
  if (!a) return;
  await tx.hand.updateMany({
    where: { annotationId },
    data: {
      projectId: a.image.projectId,
      imageId: a.imageId,
      subjectId: a.image.subjectId,
      coverageStage: coverageStage(a.status, a.goldScore, a.image.state),
      imageFlagKey: imageFlagKey(ZFlags.parse(a.imageFlags)),
    },
  });
}

/**
 * Hands written before the coverage columns existed, or by a path that does not set them (the demo
 * seed, pre-annotations handed out with a claim): filled in batches. Such rows have no project yet, and
 * finding them is one indexed lookup, so coverage reads call this first.
 */
export async function backfillHandCoverage(batch = 500): Promise<number> {
  let done = 0;
  for (;;) {
    const hands = await db.hand.findMany({
      where: { projectId: null },
      select: { id: true, annotationId: true, keypoints: true, occlusionBand: true },
      take: batch,
    });
    if (hands.length === 0) return done;
    await db.$transaction(async (tx) => {
      for (const annotationId of new Set(hands.map((h) => h.annotationId))) await refreshHandCoverage(tx, annotationId);
      for (const hand of hands.filter((h) => h.occlusionBand === null)) {
        const keypoints = ZKeypoints.safeParse(hand.keypoints);
        await tx.hand.update({
          where: { id: hand.id },
          data: { occlusionBand: keypoints.success ? occlusionBand(keypoints.data) : "high" },
        });
      }
    });
    done += hands.length;
  }
}

/** A consent withdrawal took these images out: their hands stop counting at once (same transaction). */
export async function withdrawHandCoverage(tx: TTx, imageIds: readonly string[]): Promise<void> {
  if (imageIds.length)
    await tx.hand.updateMany({ where: { imageId: { in: [...imageIds] } }, data: { coverageStage: "withdrawn" } });
}
