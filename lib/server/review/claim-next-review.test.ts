import { describe, expect, it } from "vitest";
import { db } from "@/lib/server/db";
import {
  createAnnotators,
  createFixtureProject,
  createSubjectWithImages,
} from "@/lib/server/queue/queue-test-fixtures";
import { claimNextReview } from "./claim-next-review";

describe("claimNextReview under concurrency", () => {
  it("hands each submitted annotation to one reviewer at a time, never to its own annotator", async () => {
    const fixture = await createFixtureProject();
    const { images } = await createSubjectWithImages(fixture, 24);
    const people = await createAnnotators(fixture.project.id, 8);
    // Three people labelled the images; all eight review at once, so three of them meet their own work.
    for (const [index, image] of images.entries()) {
      await db.annotation.create({
        data: {
          imageId: image.id,
          annotatorId: people[index % 3].id,
          status: "submitted",
          submittedAt: new Date(Date.now() - (100 - index) * 1000),
          imageFlags: [],
          qualityFlags: [],
        },
      });
    }
    const held: { reviewer: string; annotationId: string }[] = [];
    // Eight claims per round for 24 annotations: three rounds usually, but a round whose racing claims leave one
    // of the three annotators nothing but their own work hands them nothing, and a later round catches up.
    for (let round = 0; round < 6 && held.length < 24; round++) {
      const results = await Promise.all(
        people.map(async (person) => ({ person, result: await claimNextReview(fixture.project.id, person.id) })),
      );
      for (const { person, result } of results) {
        if (result.reviewId === null) continue;
        if (!result.resumed) held.push({ reviewer: person.id, annotationId: result.annotationId });
        // Decide it, so the next round claims a new one.
        await db.review.update({ where: { id: result.reviewId }, data: { decision: "accept", decidedAt: new Date() } });
        await db.annotation.update({ where: { id: result.annotationId }, data: { status: "accepted" } });
      }
    }
    expect(held.length).toBe(24);
    expect(new Set(held.map((h) => h.annotationId)).size).toBe(24);
    const own = await db.annotation.findMany({
      where: { id: { in: held.map((h) => h.annotationId) } },
      select: { id: true, annotatorId: true },
    });
    const annotatorOf = new Map(own.map((a) => [a.id, a.annotatorId]));
    expect(held.filter((h) => annotatorOf.get(h.annotationId) === h.reviewer)).toEqual([]);
    expect(await db.review.count()).toBe(24);
  });
});
