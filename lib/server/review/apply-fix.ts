import "server-only";
import { AppError } from "@/lib/errors/app-error";
import { ANNOTATION_SCHEMA_VERSION, annotationDocProblems, type TAnnotationDoc } from "@/lib/annotate/schema";
import { submitProblems } from "@/lib/annotate/submit-checks";
import { docDifference } from "@/lib/review/difference";
import { annotationQualityFlags, modelHands } from "@/lib/qc/annotation-flags";
import { networkModelHands } from "@/lib/server/qc/network-model";
import type { Prisma } from "@/lib/server/db/open";
import { db } from "@/lib/server/db";
import { readMediaPipePrediction, reviewFixedHandsColumn } from "@/lib/server/db/json-columns";
import { skinMapOfImage } from "@/lib/server/qc/skin-map";
import { handRows } from "@/lib/server/annotations/read-annotation-doc";
import { getProjectOrThrow } from "@/lib/server/projects/project-settings";

type TFixImage = { projectId: string; width: number; height: number };

/** A reviewer's or manager's fix must be valid and complete, as a submission must; otherwise nothing changes. */
export async function assertValidFix(fix: TAnnotationDoc, image: TFixImage): Promise<void> {
  const project = await getProjectOrThrow(image.projectId);
  const problems = annotationDocProblems(fix, {
    ...image,
    gestures: project.gestures,
    handAttributes: project.handAttributes,
    imageFlags: project.imageFlags,
  });
  if (Object.keys(problems).length)
    throw new AppError(
      "invalid_input",
      `The fixed labels are invalid: ${Object.values(problems).join("; ")}`,
      problems,
    );
  const unfinished = submitProblems(fix, image);
  if (unfinished.length)
    throw new AppError(
      "invalid_input",
      `The fixed labels are not complete: ${unfinished.map((p) => p.message).join("; ")}`,
    );
}

/**
 * The fix's flags, checked with every signal its submission was (the model's handedness, the image's skin
 * map, the network's left/right for hands without a view): they decide whether the fixed labels can become gold. Read before the transaction.
 */
export async function fixQualityFlags(annotationId: string, fix: TAnnotationDoc, image: TFixImage) {
  const stored = await db.annotation.findUniqueOrThrow({
    where: { id: annotationId },
    select: { source: true, modelPrediction: true, imageId: true },
  });
  const modelPrediction = stored.source === "model_assisted" ? readMediaPipePrediction(stored.modelPrediction) : null;
  return annotationQualityFlags(fix, image, {
    modelPrediction,
    skin: fix.hands.length ? await skinMapOfImage(stored.imageId) : null,
    network: await networkModelHands(stored.imageId, fix.hands, modelHands(modelPrediction)),
  });
}
type TFixFlags = Awaited<ReturnType<typeof fixQualityFlags>>;

/**
 * Writes a fix inside the caller's transaction: the dataset's hands become the fixed ones, and the returned
 * review columns keep the fix, the labels it replaced and the fix's own flags. The annotation's
 * qualityFlags stay the annotator's as submitted, so per-annotator flag rates count only their own work.
 */
export async function writeFix(
  tx: Prisma.TransactionClient,
  annotationId: string,
  original: TAnnotationDoc,
  fix: TAnnotationDoc,
  fixFlags: TFixFlags,
) {
  await tx.hand.deleteMany({ where: { annotationId } });
  if (fix.hands.length) await tx.hand.createMany({ data: handRows(annotationId, fix.hands, fixFlags.perHand) });
  await tx.annotation.update({
    where: { id: annotationId },
    data: { noHands: fix.noHands, imageFlags: fix.imageFlags, schemaVersion: ANNOTATION_SCHEMA_VERSION },
  });
  return {
    fixedHands: reviewFixedHandsColumn.write(fix),
    difference: {
      ...docDifference(original, fix),
      original,
      fixedFlags: fixFlags.all,
    } as unknown as Prisma.InputJsonValue,
  };
}
