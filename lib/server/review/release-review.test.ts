import { describe, expect, it } from "vitest";
import { db } from "@/lib/server/db";
import {
  createAnnotators,
  createFixtureProject,
  createSubjectWithImages,
} from "@/lib/server/queue/queue-test-fixtures";
import { claimNextReview } from "./claim-next-review";
import { decideReview } from "./decide-review";
import { releaseReview } from "./release-review";

const annotationOf = (claim: Awaited<ReturnType<typeof claimNextReview>>) =>
  "annotationId" in claim ? claim.annotationId : null;

describe("Next: a reviewer passes on a review undecided", () => {
  it("frees the annotation for others and hands this reviewer another one", async () => {
    const fixture = await createFixtureProject();
    const projectId = fixture.project.id;
    const { images } = await createSubjectWithImages(fixture, 2);
    const [annotator, reviewer, other] = await createAnnotators(projectId, 3);
    const submitted = [];
    for (const [index, image] of images.entries())
      submitted.push(
        await db.annotation.create({
          data: {
            imageId: image.id,
            annotatorId: annotator!.id,
            status: "submitted",
            submittedAt: new Date(Date.UTC(2026, 0, 1, index)),
            imageFlags: [],
            qualityFlags: [],
          },
        }),
      );
    const first = await claimNextReview(projectId, reviewer!.id);
    expect(annotationOf(first)).toBe(submitted[0]!.id);
    await releaseReview(first.reviewId!, reviewer!.id);
    const next = await claimNextReview(projectId, reviewer!.id, new Date(), undefined, [submitted[0]!.id]);
    expect(annotationOf(next)).toBe(submitted[1]!.id);
    // The passed one waits for review again: another reviewer gets it.
    expect(annotationOf(await claimNextReview(projectId, other!.id))).toBe(submitted[0]!.id);
    // A decided review is not released; someone else's is not found.
    await decideReview(next.reviewId!, reviewer!.id, { decision: "accept", version: 1, comment: "" });
    await expect(releaseReview(next.reviewId!, reviewer!.id)).rejects.toThrow(/decided/);
    await expect(releaseReview(next.reviewId!, other!.id)).rejects.toThrow(/No such review/);
  });
});
