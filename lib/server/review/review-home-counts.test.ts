import { describe, expect, it } from "vitest";
import { db } from "@/lib/server/db";
import {
  createAnnotators,
  createFixtureProject,
  createSubjectWithImages,
} from "@/lib/server/queue/queue-test-fixtures";
import { getReviewHomeCounts } from "./review-home-counts";

async function labelled(imageId: string, annotatorId: string, status: string) {
  return db.annotation.create({
    data: { imageId, annotatorId, status, submittedAt: new Date(), imageFlags: [], qualityFlags: [] },
  });
}

describe("review home counts", () => {
  it("counts the project's waiting work on usable images, the reviewer's own share and their decisions", async () => {
    const fixture = await createFixtureProject({ annotationsPerImage: 2 });
    const other = await createFixtureProject();
    const projectId = fixture.project.id;
    const { images } = await createSubjectWithImages(fixture, 4);
    const { images: held } = await createSubjectWithImages(fixture, 1, { state: "quarantined" });
    const { images: elsewhere } = await createSubjectWithImages(other, 1);
    const [a, reviewer] = await createAnnotators(projectId, 2);
    await labelled(images[0].id, a.id, "submitted");
    await labelled(images[1].id, a.id, "submitted");
    await labelled(images[1].id, reviewer.id, "submitted");
    const decided = await labelled(images[2].id, a.id, "accepted");
    await labelled(images[3].id, a.id, "draft");
    await labelled(held[0].id, a.id, "submitted");
    const away = await labelled(elsewhere[0].id, reviewer.id, "submitted");
    await db.review.createMany({
      data: [
        {
          annotationId: decided.id,
          reviewerId: reviewer.id,
          projectId,
          round: 1,
          decision: "accept",
          decidedAt: new Date(),
        },
        {
          annotationId: away.id,
          reviewerId: reviewer.id,
          projectId: other.project.id,
          round: 1,
          decision: "reject",
          decidedAt: new Date(),
        },
        {
          annotationId: (await labelled(images[0].id, reviewer.id, "accepted")).id,
          reviewerId: a.id,
          projectId,
          round: 1,
        },
      ],
    });

    // Waiting: three submitted on active images (the quarantined one is not handed out); the reviewer's own: one
    // here (another in the other project); decided: one here (the other project's and the open claim are not).
    expect(await getReviewHomeCounts(projectId, reviewer.id)).toEqual({ waiting: 3, mine: 1, decided: 1 });
    expect(await getReviewHomeCounts(other.project.id, reviewer.id)).toEqual({ waiting: 1, mine: 1, decided: 1 });
  });

  it("follows images out of the queue and back (quarantined, purged, restored) after their work was counted", async () => {
    const fixture = await createFixtureProject();
    const projectId = fixture.project.id;
    const { images } = await createSubjectWithImages(fixture, 3);
    const [a, reviewer] = await createAnnotators(projectId, 2);
    for (const image of images) await labelled(image.id, a.id, "submitted");
    expect((await getReviewHomeCounts(projectId, reviewer.id)).waiting).toBe(3);

    await db.image.update({ where: { id: images[0].id }, data: { state: "quarantined" } });
    await db.image.update({ where: { id: images[1].id }, data: { state: "purged", purgedAt: new Date() } });
    expect((await getReviewHomeCounts(projectId, reviewer.id)).waiting).toBe(1);

    await db.image.update({ where: { id: images[0].id }, data: { state: "active" } });
    expect((await getReviewHomeCounts(projectId, reviewer.id)).waiting).toBe(2);
  });
});
