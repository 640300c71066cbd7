import "server-only";
import { z } from "zod";
import { imageCoverageStages } from "@/lib/coverage/stage";
import { imageFlagKey, occlusionBand } from "@/lib/coverage/dimensions";
import { ZKeypoints } from "@/lib/hand/schema";
import { db } from "@/lib/server/db";
import type { TTx } from "@/lib/server/audit/record-audit-event";

const ZFlags = z.array(z.string()).catch([]);

/**
 * Copies an annotation's coverage facts (project, image, subject, stage from its status, image flags)
 * onto its Hand rows, and re-decides which labelling of its image counts (lib/coverage/stage.ts): a
 * status change of one labelling can change the others' stage. Called in the same transaction as
 * every write of hands or of the status.
 */
export async function refreshHandCoverage(tx: TTx, annotationId: string): Promise<void> {
  const written = await tx.annotation.findUnique({ where: { id: annotationId }, select: { imageId: true } });
  if (!written) return;
  const image = await tx.image.findUnique({
    where: { id: written.imageId },
    select: {
      projectId: true,
      subjectId: true,
      state: true,
      annotations: {
        select: { id: true, status: true, goldScore: true, isGold: true, updatedAt: true, imageFlags: true },
      },
    },
  });
  if (!image) return;
  const stages = imageCoverageStages(image.annotations, image.state);
  for (const a of image.annotations) {
    await tx.hand.updateMany({
      where: { annotationId: a.id },
      data: {
        projectId: image.projectId,
        imageId: written.imageId,
        subjectId: image.subjectId,
        coverageStage: stages.get(a.id),
        imageFlagKey: imageFlagKey(ZFlags.parse(a.imageFlags)),
      },
    });
  }
}

/** A batch re-decides every labelling of its images: on a busy server that can outlast the 5 s default. */
const BACKFILL_TRANSACTION = { timeout: 30_000 };

/**
 * Hands written before the coverage columns existed, or by a path that does not set them (the demo
 * seed, pre-annotations handed out with a claim): filled in batches. Such rows have no project yet, and
 * finding them is one indexed lookup, so coverage reads call this first.
 */
export async function backfillHandCoverage(batch = 200): Promise<number> {
  let done = 0;
  for (;;) {
    const hands = await db.hand.findMany({
      where: { projectId: null },
      select: { id: true, annotationId: true, keypoints: true, occlusionBand: true },
      // In the coverage index's order: without it Prisma orders by id, a walk of the whole primary key.
      orderBy: [{ projectId: "asc" }, { coverageStage: "asc" }],
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
    }, BACKFILL_TRANSACTION);
    done += hands.length;
  }
}

/** A consent withdrawal took these images out: their hands stop counting at once (same transaction). */
export async function withdrawHandCoverage(tx: TTx, imageIds: readonly string[]): Promise<void> {
  if (imageIds.length)
    await tx.hand.updateMany({ where: { imageId: { in: [...imageIds] } }, data: { coverageStage: "withdrawn" } });
}
