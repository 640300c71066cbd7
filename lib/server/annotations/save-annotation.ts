import { syncAnnotationRollup } from "@/lib/server/stats/annotation-rollup";
import "server-only";
import { AppError } from "@/lib/errors/app-error";
import { ANNOTATION_SCHEMA_VERSION, annotationDocProblems, type TSaveAnnotation } from "@/lib/annotate/schema";
import { annotationQualityFlagsColumn, readMediaPipePrediction } from "@/lib/server/db/json-columns";
import { db } from "@/lib/server/db";
import { getProjectOrThrow } from "@/lib/server/projects/project-settings";
import { staleVersionError } from "./annotation-conflict";
import { assertEditable, assertImageUsable, loadOwnAnnotation } from "./load-own-annotation";
import { handRows } from "./read-annotation-doc";
import { annotationQualityFlags } from "@/lib/qc/annotation-flags";
import { hasStrongFlag } from "@/lib/qc/run-checks";
import { refreshHandCoverage } from "@/lib/server/coverage/hand-columns";

export type TSaved = { version: number; savedAt: Date; leaseExpiresAt: Date | null };

const MINUTE = 60_000;

/**
 * Saves an annotator's labels (autosave and explicit save). Refused, changing nothing: another
 * person's annotation (404), work that is no longer editable or whose image left the queue (409),
 * labels that do not fit the schema, the image or the project's lists (400 naming the fields), and a
 * stale `version` (AnnotationConflictError, 409 with the current document).
 *
 * One transaction: a conditional update on (id, version, status) — of two saves of the same version
 * exactly one matches — then the hands are replaced. A draft's lease is renewed.
 */
export async function saveAnnotation(
  annotationId: string,
  userId: string,
  input: TSaveAnnotation,
  now = new Date(),
): Promise<TSaved> {
  const annotation = await loadOwnAnnotation(annotationId, userId);
  const { version, doc, activeMs, source, modelPrediction } = input;
  assertEditable(annotation.status);
  await assertImageUsable(annotation.image, now);

  const project = await getProjectOrThrow(annotation.image.projectId);
  const problems = annotationDocProblems(doc, {
    width: annotation.image.width,
    height: annotation.image.height,
    gestures: project.gestures,
    handAttributes: project.handAttributes,
    imageFlags: project.imageFlags,
  });
  if (Object.keys(problems).length)
    throw new AppError(
      "invalid_input",
      `The labels do not fit this image or project: ${Object.values(problems).join("; ")}`,
      problems,
    );
  if (version !== annotation.version) throw await staleVersionError(annotationId, version);

  const flags = annotationQualityFlags(doc, annotation.image, {
    modelPrediction: readMediaPipePrediction(modelPrediction),
  });
  const leaseExpiresAt =
    annotation.status === "draft" ? new Date(now.getTime() + project.leaseMinutes * MINUTE) : annotation.leaseExpiresAt;
  const won = await db.$transaction(async (tx) => {
    const { count } = await tx.annotation.updateMany({
      where: { id: annotationId, version, status: annotation.status },
      data: {
        version: { increment: 1 },
        timeSpentMs: { increment: activeMs },
        noHands: doc.noHands,
        imageFlags: doc.imageFlags,
        leaseExpiresAt,
        qualityFlags: annotationQualityFlagsColumn.write(flags.all),
        strongFlagged: hasStrongFlag(flags.all),
        schemaVersion: ANNOTATION_SCHEMA_VERSION,
        // Model assistance is recorded when the client reports it; a save without it keeps what is stored.
        ...(source ? { source } : {}),
        ...(modelPrediction !== undefined ? { modelPrediction: modelPrediction as object } : {}),
      },
    });
    if (count === 0) return false;
    await tx.hand.deleteMany({ where: { annotationId } });
    if (doc.hands.length) await tx.hand.createMany({ data: handRows(annotationId, doc.hands, flags.perHand) });
    await refreshHandCoverage(tx, annotationId);
    await syncAnnotationRollup(tx, [annotationId]);
    return true;
  });
  if (!won) throw await refusalAfterRace(annotationId, userId, version);
  return { version: version + 1, savedAt: now, leaseExpiresAt };
}

/**
 * The conditional update matched nothing: between the checks and the write, another save won,
 * or the status changed (submitted in another tab, or the lease expired and the image was re-queued).
 */
export async function refusalAfterRace(annotationId: string, userId: string, version: number): Promise<AppError> {
  const current = await loadOwnAnnotation(annotationId, userId);
  try {
    assertEditable(current.status);
  } catch (error) {
    return error as AppError;
  }
  return staleVersionError(annotationId, version);
}
