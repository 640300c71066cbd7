import "server-only";
import { AppError } from "@/lib/errors/app-error";
import type { TAnnotationDoc } from "@/lib/annotate/schema";
import { labellingAgreement } from "@/lib/oks";
import { db } from "@/lib/server/db";
import { recordAuditEvent } from "@/lib/server/audit/record-audit-event";
import { readAnnotationDoc } from "@/lib/server/annotations/read-annotation-doc";
import { projectSigmas } from "./project-sigmas";

/** Marks (or unmarks) an accepted annotation as gold: the reference its image is scored against. */
export async function setGold(projectId: string, annotationId: string, isGold: boolean, actorId: string) {
  const annotation = await db.annotation.findFirst({
    where: { id: annotationId, image: { projectId } },
    select: { id: true, status: true, imageId: true, qualityFlags: true },
  });
  if (!annotation) throw new AppError("not_found", "No such annotation in this project");
  if (isGold && annotation.status !== "accepted")
    throw new AppError("conflict", "Only accepted annotations can be gold");
  // Gold is what others are scored against: a likely labelling mistake must be fixed (fix-and-accept) first.
  const strong = isGold ? strongFlagMessages(await flagsOfCurrentLabels(annotation.id, annotation.qualityFlags)) : [];
  if (strong.length)
    throw new AppError(
      "conflict",
      `Labels with strong quality flags cannot be gold; fix them first: ${strong.join("; ")}`,
    );
  await db.$transaction(async (tx) => {
    // One gold labelling per image: marking a new one replaces the old.
    if (isGold)
      await tx.annotation.updateMany({ where: { imageId: annotation.imageId, isGold: true }, data: { isGold: false } });
    await tx.annotation.update({ where: { id: annotationId }, data: { isGold } });
    await recordAuditEvent(
      {
        actorId,
        projectId,
        action: isGold ? "gold.marked" : "gold.unmarked",
        targetType: "annotation",
        targetId: annotationId,
        details: { imageId: annotation.imageId },
      },
      tx,
    );
  });
}

/**
 * The flags of the labels the annotation now carries: after a fix-and-accept, the reviewer's fix replaced the
 * annotator's hands, so the fix's own flags (kept with its review) decide, not the annotator's flags on the
 * annotation (those stay the annotator's, for per-annotator rates).
 */
async function flagsOfCurrentLabels(annotationId: string, annotatorFlags: unknown): Promise<unknown> {
  const latest = await db.review.findFirst({
    where: { annotationId, decision: { not: null } },
    orderBy: { decidedAt: "desc" },
    select: { decision: true, difference: true },
  });
  if (latest?.decision !== "fix_and_accept") return annotatorFlags;
  return (latest.difference as { fixedFlags?: unknown } | null)?.fixedFlags ?? [];
}

/** The messages of the strong flags in a stored flags JSON array. */
function strongFlagMessages(stored: unknown): string[] {
  const flags = Array.isArray(stored) ? stored : [];
  return flags
    .filter((f) => f?.severity === "strong")
    .map((f) => `hand ${Number(f.hand ?? 0) + 1}: ${String(f.message)}`);
}

/**
 * When this annotation labelled a gold image (someone else's labels marked gold), its score against
 * them: hands matched by OKS with the project's sigmas. Null when the image has no gold.
 */
export async function goldScoreOf(
  annotationId: string,
  imageId: string,
  projectId: string,
  doc: TAnnotationDoc,
): Promise<number | null> {
  const gold = await db.annotation.findFirst({
    where: { imageId, isGold: true, id: { not: annotationId } },
    select: { id: true },
  });
  if (!gold) return null;
  const [{ doc: goldDoc }, { sigmas }] = await Promise.all([readAnnotationDoc(gold.id), projectSigmas(projectId)]);
  return labellingAgreement(doc.hands, goldDoc.hands, { sigmas });
}
