import "server-only";
import { db } from "@/lib/server/db";
import { readAnnotationDoc } from "@/lib/server/annotations/read-annotation-doc";
import { listIssues } from "@/lib/server/review/issues";
import { auditActionLabel, decisionLabel } from "@/lib/review/decision-label";

/**
 * What a manager sees of an image's labels: every annotation's hands (as stored now) and the history of
 * the labelling work — claims, submissions, skips, review claims and decisions with their comments — oldest
 * first. The caller authorises; `projectId` scopes every query, so another project's image answers nothing.
 */
export async function getImageLabels(projectId: string, imageId: string) {
  const annotations = await db.annotation.findMany({
    where: { imageId, image: { projectId } },
    orderBy: { createdAt: "asc" },
    select: {
      id: true,
      status: true,
      source: true,
      version: true,
      updatedAt: true,
      annotator: { select: { name: true } },
      reviews: {
        where: { decision: { not: null } },
        orderBy: { round: "asc" },
        select: {
          id: true,
          round: true,
          decision: true,
          comment: true,
          decidedAt: true,
          reviewer: { select: { name: true } },
        },
      },
    },
  });
  const docs = await Promise.all(annotations.map((annotation) => readAnnotationDoc(annotation.id)));
  const issues = await Promise.all(annotations.map((annotation) => listIssues(annotation.id)));
  const events =
    annotations.length === 0
      ? []
      : await db.auditEvent.findMany({
          where: { projectId, targetType: "annotation", targetId: { in: annotations.map((a) => a.id) } },
          orderBy: { at: "asc" },
          take: 500,
          select: { id: true, at: true, action: true, targetId: true, actor: { select: { name: true } } },
        });
  const annotatorOf = new Map(annotations.map((a) => [a.id, a.annotator.name]));
  const comments = new Map(
    annotations.flatMap((a) => a.reviews.map((r) => [`${a.id}/${r.decision}/${r.round}`, r.comment] as const)),
  );
  const roundOf = new Map<string, number>();
  return {
    labels: annotations.map((annotation, index) => ({
      id: annotation.id,
      annotator: annotation.annotator.name,
      status: annotation.status,
      source: annotation.source,
      version: annotation.version,
      issues: issues[index]!,
      savedAt: annotation.updatedAt.toISOString(),
      doc: docs[index]!.doc,
      reviews: annotation.reviews.map((r) => ({
        round: r.round,
        decision: decisionLabel(r.decision),
        comment: r.comment,
        reviewer: r.reviewer.name,
        decidedAt: r.decidedAt?.toISOString() ?? null,
      })),
    })),
    history: events.map((event) => {
      // Decisions carry the reviewer's comment of that round (rounds counted per annotation, in order).
      let comment = "";
      if (event.action.startsWith("review.") && event.action !== "review.claimed") {
        const round = (roundOf.get(event.targetId!) ?? 0) + 1;
        roundOf.set(event.targetId!, round);
        comment = comments.get(`${event.targetId}/${event.action.slice("review.".length)}/${round}`) ?? "";
      }
      return {
        id: event.id,
        at: event.at.toISOString(),
        who: event.actor?.name ?? "system",
        what: auditActionLabel(event.action),
        of: annotatorOf.get(event.targetId!) ?? "",
        comment,
      };
    }),
  };
}

export type TImageLabels = Awaited<ReturnType<typeof getImageLabels>>;
