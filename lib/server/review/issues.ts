import "server-only";
import { docDifference, type TDocDifference } from "@/lib/review/difference";
import type { TIssueAction } from "@/lib/review/issues";
import { AppError } from "@/lib/errors/app-error";
import { recordAuditEvent } from "@/lib/server/audit/record-audit-event";
import { readAnnotationDoc } from "@/lib/server/annotations/read-annotation-doc";
import { db } from "@/lib/server/db";
import type { Prisma } from "@/lib/server/db/open";
import { reviewReturnedDocColumn } from "@/lib/server/db/json-columns";

const ISSUE_SELECT = {
  id: true,
  x: true,
  y: true,
  handIndex: true,
  jointIndex: true,
  message: true,
  resolvedAt: true,
  resolvedBy: { select: { name: true } },
  review: { select: { round: true, reviewer: { select: { name: true } } } },
  replies: {
    orderBy: { createdAt: "asc" },
    select: { id: true, body: true, createdAt: true, author: { select: { name: true } } },
  },
} as const;

type TIssueRow = {
  id: string;
  x: number;
  y: number;
  handIndex: number | null;
  jointIndex: number | null;
  message: string;
  resolvedAt: Date | null;
  resolvedBy: { name: string } | null;
  review: { round: number; reviewer: { name: string } };
  replies: { id: string; body: string; createdAt: Date; author: { name: string } | null }[];
};

function toIssue(row: TIssueRow) {
  return {
    id: row.id,
    round: row.review.round,
    x: row.x,
    y: row.y,
    handIndex: row.handIndex,
    jointIndex: row.jointIndex,
    message: row.message,
    raisedBy: row.review.reviewer.name,
    resolved: row.resolvedAt !== null,
    resolvedAt: row.resolvedAt?.toISOString() ?? null,
    resolvedBy: row.resolvedBy?.name ?? null,
    replies: row.replies.map((reply) => ({
      id: reply.id,
      body: reply.body,
      at: reply.createdAt.toISOString(),
      author: reply.author?.name ?? "someone removed",
    })),
  };
}
export type TIssue = ReturnType<typeof toIssue>;

/** Every issue raised on an annotation (pins of its decided reviews), oldest round first, with their threads. */
export async function listIssues(annotationId: string): Promise<TIssue[]> {
  const rows = await db.reviewPin.findMany({
    where: { review: { annotationId, decision: { not: null } } },
    orderBy: [{ review: { round: "asc" } }, { id: "asc" }],
    select: ISSUE_SELECT,
  });
  return rows.map(toIssue);
}

const OPEN_ISSUES = (annotationId: string) => ({
  resolvedAt: null,
  review: { annotationId, decision: { not: null } },
});

/** Issues raised on the annotation in earlier rounds and not resolved yet: accepting is refused while any is open. */
export async function countOpenIssues(annotationId: string): Promise<number> {
  return db.reviewPin.count({ where: OPEN_ISSUES(annotationId) });
}

/** Resolves every open issue of the annotation, when the reviewer accepts and says so (inside their transaction). */
export async function resolveOpenIssues(
  tx: Prisma.TransactionClient,
  annotationId: string,
  userId: string,
  projectId: string,
  now: Date,
) {
  const open = await tx.reviewPin.findMany({ where: OPEN_ISSUES(annotationId), select: { id: true } });
  await tx.reviewPin.updateMany({
    where: { id: { in: open.map((pin) => pin.id) } },
    data: { resolvedAt: now, resolvedById: userId },
  });
  for (const pin of open)
    await recordAuditEvent(
      {
        actorId: userId,
        projectId,
        action: "issue.resolved",
        targetType: "annotation",
        targetId: annotationId,
        details: { pinId: pin.id, withAccept: true },
      },
      tx,
    );
}

/** An issue of `annotationId`, or not found (an issue of another annotation is not found either). */
async function issueOf(pinId: string, annotationId: string) {
  const pin = await db.reviewPin.findFirst({
    where: { id: pinId, review: { annotationId, decision: { not: null } } },
    select: {
      id: true,
      resolvedAt: true,
      review: { select: { annotation: { select: { image: { select: { projectId: true } } } } } },
    },
  });
  if (!pin) throw new AppError("not_found", "No such issue on this annotation");
  return { ...pin, projectId: pin.review.annotation.image.projectId };
}

/** The annotator answers an issue on their own annotation (the caller authorised the annotation). */
export async function replyAsAnnotator(annotationId: string, userId: string, pinId: string, body: string) {
  const issue = await issueOf(pinId, annotationId);
  if (issue.resolvedAt) throw new AppError("conflict", "This issue is resolved; it takes no more replies");
  await db.$transaction(async (tx) => {
    await tx.issueReply.create({ data: { pinId, authorId: userId, body } });
    await recordAuditEvent(
      {
        actorId: userId,
        projectId: issue.projectId,
        action: "issue.replied",
        targetType: "annotation",
        targetId: annotationId,
        details: { pinId },
      },
      tx,
    );
  });
  return toIssue(await db.reviewPin.findUniqueOrThrow({ where: { id: pinId }, select: ISSUE_SELECT }));
}

/** A reviewer, in their open review of the annotation, replies to, resolves or reopens an earlier issue. */
export async function actOnIssueAsReviewer(reviewId: string, userId: string, action: TIssueAction, now = new Date()) {
  const review = await db.review.findFirst({
    where: { id: reviewId, reviewerId: userId },
    select: { annotationId: true, decision: true },
  });
  if (!review) throw new AppError("not_found", "No such review");
  if (review.decision) throw new AppError("conflict", "This review is decided; open the next one to act on issues");
  const issue = await issueOf(action.pinId, review.annotationId);
  if (action.action === "reply" && issue.resolvedAt)
    throw new AppError("conflict", "This issue is resolved; reopen it to reply");
  if (action.action === "reopen" && !issue.resolvedAt) throw new AppError("conflict", "This issue is already open");
  await db.$transaction(async (tx) => {
    if (action.action !== "reopen" && action.body)
      await tx.issueReply.create({ data: { pinId: action.pinId, authorId: userId, body: action.body } });
    if (action.action === "resolve")
      await tx.reviewPin.update({ where: { id: action.pinId }, data: { resolvedAt: now, resolvedById: userId } });
    if (action.action === "reopen")
      await tx.reviewPin.update({ where: { id: action.pinId }, data: { resolvedAt: null, resolvedById: null } });
    await recordAuditEvent(
      {
        actorId: userId,
        projectId: issue.projectId,
        action: `issue.${action.action === "reply" ? "replied" : action.action === "resolve" ? "resolved" : "reopened"}`,
        targetType: "annotation",
        targetId: review.annotationId,
        details: { pinId: action.pinId, reviewId },
      },
      tx,
    );
  });
  return toIssue(await db.reviewPin.findUniqueOrThrow({ where: { id: action.pinId }, select: ISSUE_SELECT }));
}

/**
 * What the annotator changed since the latest return: the labels the reviewer returned against the
 * labels now. Null when the annotation was never returned (or was returned before snapshots were kept).
 */
export async function changesSinceReturn(
  annotationId: string,
): Promise<{ round: number; difference: TDocDifference } | null> {
  const returned = await db.review.findFirst({
    where: { annotationId, decision: "reject" },
    orderBy: { round: "desc" },
    select: { round: true, returnedDoc: true },
  });
  if (!returned || returned.returnedDoc === null) return null;
  const { doc } = await readAnnotationDoc(annotationId);
  return { round: returned.round, difference: docDifference(reviewReturnedDocColumn.read(returned.returnedDoc), doc) };
}
