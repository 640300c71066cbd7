import { describe, expect, it } from "vitest";
import type { THand } from "@/lib/hand/schema";
import { openHand } from "./review-test-fixtures";
import { db } from "@/lib/server/db";
import { saveAnnotation } from "@/lib/server/annotations/save-annotation";
import { submitAnnotation } from "@/lib/server/annotations/submit-annotation";
import { claimNextImage } from "@/lib/server/queue/claim-next-image";
import {
  createAnnotators,
  createFixtureProject,
  createSubjectWithImages,
} from "@/lib/server/queue/queue-test-fixtures";
import { claimNextReview } from "./claim-next-review";
import { decideReview } from "./decide-review";
import { actOnIssueAsReviewer, changesSinceReturn, listIssues, replyAsAnnotator } from "./issues";

const hand = (thumbTipShift = 0) => openHand({ thumbTipShift });
const version = async (id: string) =>
  (await db.annotation.findUniqueOrThrow({ where: { id }, select: { version: true } })).version;

describe("review issues: pins become threads that annotators answer and reviewers resolve in the next round", () => {
  it("carries an issue from round 1 to round 2, with the annotator's answer and what changed", async () => {
    const fixture = await createFixtureProject();
    const projectId = fixture.project.id;
    await createSubjectWithImages(fixture, 1);
    const [annotator, stranger] = await createAnnotators(projectId, 2);
    const reviewer = fixture.manager;
    const { annotationId } = (await claimNextImage(projectId, annotator!.id)) as { annotationId: string };
    let saved = await saveAnnotation(annotationId, annotator!.id, {
      version: 1,
      doc: { hands: [hand()], noHands: false, imageFlags: [] },
      activeMs: 1000,
    });
    await submitAnnotation(annotationId, annotator!.id, { version: saved.version });

    const round1 = (await claimNextReview(projectId, reviewer.id)).reviewId!;
    await decideReview(round1, reviewer.id, {
      decision: "reject",
      version: await version(annotationId),
      comment: "See the pin",
      pins: [{ x: 260, y: 285, handIndex: 0, jointIndex: 4, message: "Thumb tip is on the nail, not the tip" }],
    });
    const [issue] = await listIssues(annotationId);
    expect(issue).toMatchObject({ round: 1, resolved: false, jointIndex: 4, replies: [] });
    expect(await changesSinceReturn(annotationId)).toMatchObject({ round: 1, difference: { changes: [] } });

    // The annotator answers and moves the thumb tip; someone else's annotation id finds no such issue.
    const answered = await replyAsAnnotator(annotationId, annotator!.id, issue!.id, "Moved it to the tip");
    expect(answered.replies.map((r) => [r.author, r.body])).toEqual([[annotator!.name, "Moved it to the tip"]]);
    const { annotationId: otherAnnotation } = await db.annotation
      .create({
        data: {
          imageId: (await db.annotation.findUniqueOrThrow({ where: { id: annotationId } })).imageId,
          annotatorId: stranger!.id,
          imageFlags: [],
          qualityFlags: [],
        },
        select: { id: true },
      })
      .then((a) => ({ annotationId: a.id }));
    await expect(replyAsAnnotator(otherAnnotation, stranger!.id, issue!.id, "mine?")).rejects.toThrow(/No such issue/);
    saved = await saveAnnotation(annotationId, annotator!.id, {
      version: await version(annotationId),
      doc: { hands: [hand(12)], noHands: false, imageFlags: [] },
      activeMs: 1000,
    });
    await submitAnnotation(annotationId, annotator!.id, { version: saved.version });
    const changed = await changesSinceReturn(annotationId);
    expect(changed!.difference.changes).toEqual([{ hand: 0, joint: 4, moved: 12, from: "visible", to: "visible" }]);

    // Round 2: the reviewer sees the earlier issue with its answer, resolves it and accepts.
    const round2 = (await claimNextReview(projectId, reviewer.id)).reviewId!;
    await expect(actOnIssueAsReviewer(round2, reviewer.id, { action: "reopen", pinId: issue!.id })).rejects.toThrow(
      /already open/,
    );
    const resolved = await actOnIssueAsReviewer(round2, reviewer.id, {
      action: "resolve",
      pinId: issue!.id,
      body: "Good now",
    });
    expect(resolved).toMatchObject({ resolved: true, resolvedBy: reviewer.name });
    expect(resolved.replies.map((r) => r.body)).toEqual(["Moved it to the tip", "Good now"]);
    await expect(replyAsAnnotator(annotationId, annotator!.id, issue!.id, "late")).rejects.toThrow(/resolved/);
    await decideReview(round2, reviewer.id, { decision: "accept", version: await version(annotationId), comment: "" });
    // A decided review acts on no issue any more.
    await expect(actOnIssueAsReviewer(round2, reviewer.id, { action: "reopen", pinId: issue!.id })).rejects.toThrow(
      /decided/,
    );
    const audit = await db.auditEvent.findMany({
      where: { targetId: annotationId, action: { startsWith: "issue." } },
      select: { action: true },
    });
    expect(audit.map((a) => a.action).sort()).toEqual(["issue.replied", "issue.resolved"]);
  });

  it("refuses to accept while an earlier issue is open, unless the reviewer resolves them all with the accept", async () => {
    const fixture = await createFixtureProject();
    const projectId = fixture.project.id;
    await createSubjectWithImages(fixture, 1);
    const [annotator] = await createAnnotators(projectId, 1);
    const reviewer = fixture.manager;
    const { annotationId } = (await claimNextImage(projectId, annotator!.id)) as { annotationId: string };
    const submitWith = async (doc: THand) => {
      const saved = await saveAnnotation(annotationId, annotator!.id, {
        version: await version(annotationId),
        doc: { hands: [doc], noHands: false, imageFlags: [] },
        activeMs: 1000,
      });
      await submitAnnotation(annotationId, annotator!.id, { version: saved.version });
    };
    await submitWith(hand());
    const round1 = (await claimNextReview(projectId, reviewer.id)).reviewId!;
    await decideReview(round1, reviewer.id, {
      decision: "reject",
      version: await version(annotationId),
      comment: "Two things",
      pins: [
        { x: 260, y: 285, handIndex: 0, jointIndex: 4, message: "Thumb tip" },
        { x: 320, y: 420, handIndex: 0, jointIndex: 0, message: "Wrist" },
      ],
    });
    await submitWith(hand(12));
    const round2 = (await claimNextReview(projectId, reviewer.id)).reviewId!;
    const before = await version(annotationId);
    await expect(
      decideReview(round2, reviewer.id, { decision: "accept", version: before, comment: "" }),
    ).rejects.toThrow(/2 issues from earlier rounds are still open/);
    // Nothing changed: still waiting, same version, both issues open.
    expect(await db.annotation.findUniqueOrThrow({ where: { id: annotationId } })).toMatchObject({
      status: "submitted",
      version: before,
    });
    expect((await listIssues(annotationId)).map((i) => i.resolved)).toEqual([false, false]);

    await decideReview(round2, reviewer.id, {
      decision: "accept",
      version: before,
      comment: "",
      resolveOpenIssues: true,
    });
    const issues = await listIssues(annotationId);
    expect(issues.map((i) => [i.resolved, i.resolvedBy])).toEqual([
      [true, reviewer.name],
      [true, reviewer.name],
    ]);
    expect((await db.annotation.findUniqueOrThrow({ where: { id: annotationId } })).status).toBe("accepted");
  });
});
