import { syncAnnotationRollup } from "@/lib/server/stats/annotation-rollup";
import "server-only";
import { refreshHandCoverage } from "@/lib/server/coverage/hand-columns";
import { AppError } from "@/lib/errors/app-error";
import { submitProblems } from "@/lib/annotate/submit-checks";
import type { TSubmitAnnotation } from "@/lib/annotate/schema";
import { db } from "@/lib/server/db";
import { recordAuditEvent } from "@/lib/server/audit/record-audit-event";
import { staleVersionError } from "./annotation-conflict";
import { assertEditable, assertImageUsable, loadOwnAnnotation } from "./load-own-annotation";
import { readAnnotationDoc } from "./read-annotation-doc";
import { needsReview } from "@/lib/review/sampling";
import { goldScoreOf } from "@/lib/server/gold/gold";
import { correctionDistance, rubberStampFlag } from "@/lib/assist/rubber-stamp";
import { annotationQualityFlagsColumn, readMediaPipePrediction } from "@/lib/server/db/json-columns";
import { refusalAfterRace } from "./save-annotation";
import { annotationQualityFlags, modelHands } from "@/lib/qc/annotation-flags";
import { networkModelHands } from "@/lib/server/qc/network-model";
import { hasStrongFlag } from "@/lib/qc/run-checks";
import { skinMapOfImage } from "@/lib/server/qc/skin-map";

export type TSubmitted = { version: number; status: "submitted" | "accepted"; submittedAt: Date };

/**
 * Hands in the stored labels for review. The same guards as a save, and the checks of
 * lib/annotate/submit-checks.ts must pass: otherwise 400 with one field per hand ("hands.N";
 * problems of the whole image under "hands"). The lease is cleared and the version bumped, so an
 * open tab with the old version cannot overwrite handed-in work.
 */
export async function submitAnnotation(
  annotationId: string,
  userId: string,
  input: TSubmitAnnotation,
  now = new Date(),
): Promise<TSubmitted> {
  const annotation = await loadOwnAnnotation(annotationId, userId);
  const { version } = input;
  assertEditable(annotation.status);
  await assertImageUsable(annotation.image, now);
  if (version !== annotation.version) throw await staleVersionError(annotationId, version);

  const { doc } = await readAnnotationDoc(annotationId);
  const problems = submitProblems(doc, annotation.image);
  if (problems.length) {
    const fields: Record<string, string> = {};
    for (const problem of problems) {
      const key = problem.hand === undefined ? "hands" : `hands.${problem.hand}`;
      fields[key] = fields[key] ? `${fields[key]}; ${problem.message}` : problem.message;
    }
    throw new AppError("invalid_input", `Not ready to submit: ${problems.map((p) => p.message).join("; ")}`, fields);
  }

  const project = await db.project.findUniqueOrThrow({
    where: { id: annotation.image.projectId },
    select: { reviewSampleRate: true },
  });
  const stored = await db.annotation.findUniqueOrThrow({
    where: { id: annotationId },
    select: { source: true, modelPrediction: true, timeSpentMs: true },
  });
  // Model-assisted work: how far the annotator moved the model's proposal, and the rubber-stamp guard.
  const prediction = stored.source === "model_assisted" ? readMediaPipePrediction(stored.modelPrediction) : null;
  const modelCorrectionPx = prediction ? correctionDistance(doc.hands, prediction) : null;
  // The active time includes the seconds since the last save, sent with the submit.
  const activeMs = input.activeMs ?? 0;
  const stamp = prediction ? rubberStampFlag(modelCorrectionPx, stored.timeSpentMs + activeMs, doc.hands.length) : null;
  // Checked again with every signal the annotation carries (the stored model prediction's handedness) and the
  // image's pixels (joints off the skin; the network's left/right).
  const skin = doc.hands.length ? await skinMapOfImage(annotation.image.id) : null;
  // Left/right always has a signal: the network's side for hands with no view and no model side (lib/qc/network-model.ts).
  const network = await networkModelHands(annotation.image.id, doc.hands, modelHands(prediction));
  const qualityFlags = [
    ...annotationQualityFlags(doc, annotation.image, { modelPrediction: prediction, skin, network }).all,
    ...(stamp ? [{ ...stamp, hand: 0 }] : []),
  ];
  const flagged = qualityFlags.length > 0;
  // A gold image is scored against its gold labels instead of being reviewed.
  const goldScore = await goldScoreOf(annotationId, annotation.image.id, annotation.image.projectId, doc);
  // Strong flags always go to a reviewer (gold runs too); resubmitted work goes back to its reviewer; the rest is sampled.
  const reviewed =
    hasStrongFlag(qualityFlags) ||
    (goldScore === null &&
      (annotation.status === "rejected" || needsReview({ sampleRate: project.reviewSampleRate, flagged })));
  const status = reviewed ? "submitted" : "accepted";

  const won = await db.$transaction(async (tx) => {
    const { count } = await tx.annotation.updateMany({
      where: { id: annotationId, version, status: annotation.status },
      data: {
        status,
        submittedAt: now,
        leaseExpiresAt: null,
        version: { increment: 1 },
        goldScore,
        modelCorrectionPx,
        ...(activeMs > 0 ? { timeSpentMs: { increment: activeMs } } : {}),
        qualityFlags: annotationQualityFlagsColumn.write(qualityFlags),
        strongFlagged: hasStrongFlag(qualityFlags),
      },
    });
    if (count === 0) return false;
    await refreshHandCoverage(tx, annotationId);
    await syncAnnotationRollup(tx, [annotationId]);
    await recordAuditEvent(
      {
        actorId: userId,
        projectId: annotation.image.projectId,
        action: "annotation.submitted",
        targetType: "annotation",
        targetId: annotationId,
        details: {
          imageId: annotation.image.id,
          version: version + 1,
          hands: doc.hands.length,
          noHands: doc.noHands,
          resubmission: annotation.status === "rejected",
          review:
            goldScore !== null
              ? `gold run: OKS ${goldScore.toFixed(3)}`
              : reviewed
                ? "queued"
                : "not sampled: accepted",
        },
      },
      tx,
    );
    return true;
  });
  if (!won) throw await refusalAfterRace(annotationId, userId, version);
  return { version: version + 1, status, submittedAt: now };
}
