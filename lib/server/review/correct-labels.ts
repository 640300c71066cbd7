import "server-only";
import { AppError } from "@/lib/errors/app-error";
import type { TLabelCorrection } from "@/lib/review/schema";
import { db } from "@/lib/server/db";
import { recordAuditEvent } from "@/lib/server/audit/record-audit-event";
import { assertImageUsable } from "@/lib/server/annotations/load-own-annotation";
import { readAnnotationDoc } from "@/lib/server/annotations/read-annotation-doc";
import { refreshHandCoverage } from "@/lib/server/coverage/hand-columns";
import { syncAnnotationRollup } from "@/lib/server/stats/annotation-rollup";
import { assertValidFix, fixQualityFlags, writeFix } from "./apply-fix";

/**
 * A manager corrects labels that were already accepted (the image page's "Fix labels"). The correction is
 * a decided review round of its own — "fixed and accepted" by the manager, with the labels it replaced and
 * the difference — so the history shows who changed what, the annotator's flags stay theirs, and the
 * annotation stays accepted with a new version. Never on one's own labels; another project's annotation is 404.
 */
export async function correctAcceptedLabels(
  projectId: string,
  userId: string,
  correction: TLabelCorrection,
  now = new Date(),
) {
  const annotation = await db.annotation.findFirst({
    where: { id: correction.annotationId, image: { projectId } },
    select: {
      id: true,
      annotatorId: true,
      status: true,
      version: true,
      image: { select: { projectId: true, subjectId: true, state: true, width: true, height: true } },
      reviews: { orderBy: { round: "desc" }, take: 1, select: { round: true, decision: true } },
    },
  });
  if (!annotation) throw new AppError("not_found", "No such annotation in this project");
  if (annotation.annotatorId === userId) throw new AppError("forbidden", "You cannot correct your own labels");
  if (annotation.status !== "accepted")
    throw new AppError(
      "conflict",
      "Only accepted labels are corrected here; labels waiting for review are fixed on the review screen",
    );
  if (correction.version !== annotation.version)
    throw new AppError("conflict", "These labels changed since you opened them; reload the page");
  await assertImageUsable(annotation.image, now);
  await assertValidFix(correction.doc, annotation.image);
  const fixFlags = await fixQualityFlags(annotation.id, correction.doc, annotation.image);

  const { doc: original } = await readAnnotationDoc(annotation.id);
  const round = (annotation.reviews[0]?.round ?? 0) + 1;
  await db.$transaction(async (tx) => {
    const { count } = await tx.annotation.updateMany({
      where: { id: annotation.id, version: annotation.version, status: "accepted" },
      data: { version: { increment: 1 } },
    });
    if (count === 0) throw new AppError("conflict", "These labels changed while you corrected them; reload the page");
    const written = await writeFix(tx, annotation.id, original, correction.doc, fixFlags);
    const review = await tx.review.create({
      data: {
        annotationId: annotation.id,
        reviewerId: userId,
        projectId,
        round,
        decision: "fix_and_accept",
        comment: correction.comment,
        decidedAt: now,
        ...written,
      },
      select: { id: true },
    });
    await refreshHandCoverage(tx, annotation.id);
    await syncAnnotationRollup(tx, [annotation.id]);
    await recordAuditEvent(
      {
        actorId: userId,
        projectId,
        action: "review.fix_and_accept",
        targetType: "annotation",
        targetId: annotation.id,
        details: { reviewId: review.id, round, correction: true },
      },
      tx,
    );
  });
  return { version: annotation.version + 1, round };
}
