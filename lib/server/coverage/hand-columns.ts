import "server-only";
import { z } from "zod";
import { imageCoverageStages } from "@/lib/coverage/stage";
import { imageFlagKey, occlusionBand } from "@/lib/coverage/dimensions";
import { ZKeypoints } from "@/lib/hand/schema";
import { db } from "@/lib/server/db";
import type { TTx } from "@/lib/server/audit/record-audit-event";
import { Prisma } from "@/lib/server/db/generated/sqlite/client";

const ZFlags = z.array(z.string()).catch([]);

/**
 * Copies an annotation's coverage facts (project, image, subject, stage from its status, image flags)
 * onto its Hand rows, and re-decides which labelling of its image counts (lib/coverage/stage.ts): a
 * status change of one labelling can change the others' stage. Called in the same transaction as
 * every write of hands or of the status.
 */
export async function refreshHandCoverage(tx: TTx, annotationId: string): Promise<void> {
  const written = await tx.annotation.findUnique({ where: { id: annotationId }, select: { imageId: true } });
  if (written) await refreshImagesHandCoverage(tx, [written.imageId]);
}

/** Images (and annotations) per statement: well below SQLite's bound-parameter limit (11 per annotation). */
const COVERAGE_BATCH = 200;

/**
 * `refreshHandCoverage` for every labelling of these images: one read of the images with their labellings
 * and one UPDATE of their hands per batch, whatever the number of images (an import writes thousands).
 */
export async function refreshImagesHandCoverage(tx: TTx, imageIds: readonly string[]): Promise<void> {
  const unique = [...new Set(imageIds)].sort();
  for (let i = 0; i < unique.length; i += COVERAGE_BATCH) {
    const images = await tx.image.findMany({
      where: { id: { in: unique.slice(i, i + COVERAGE_BATCH) } },
      select: {
        id: true,
        projectId: true,
        subjectId: true,
        state: true,
        annotations: {
          select: { id: true, status: true, goldScore: true, isGold: true, updatedAt: true, imageFlags: true },
        },
      },
    });
    const rows = images.flatMap((image) => {
      const stages = imageCoverageStages(image.annotations, image.state);
      return image.annotations.map((a) => ({
        annotationId: a.id,
        imageId: image.id,
        projectId: image.projectId,
        subjectId: image.subjectId,
        coverageStage: stages.get(a.id) ?? null,
        imageFlagKey: imageFlagKey(ZFlags.parse(a.imageFlags)),
      }));
    });
    const now = new Date();
    for (let j = 0; j < rows.length; j += COVERAGE_BATCH) {
      const part = rows.slice(j, j + COVERAGE_BATCH);
      const byAnnotation = (column: "imageId" | "projectId" | "subjectId" | "coverageStage" | "imageFlagKey") =>
        Prisma.sql`${Prisma.raw(`"${column}"`)} = CASE "annotationId" ${Prisma.join(
          part.map((row) => Prisma.sql`WHEN ${row.annotationId} THEN ${row[column]}`),
          " ",
        )} END`;
      await tx.$executeRaw(Prisma.sql`UPDATE "Hand" SET ${byAnnotation("projectId")}, ${byAnnotation("imageId")},
        ${byAnnotation("subjectId")}, ${byAnnotation("coverageStage")}, ${byAnnotation("imageFlagKey")},
        "updatedAt" = ${now}
        WHERE "annotationId" IN (${Prisma.join(part.map((row) => row.annotationId))})`);
    }
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
