import { describe, expect, it } from "vitest";
import { ZAssignImages } from "@/lib/assignments/schema";
import { db } from "@/lib/server/db";
import { claimNextImage } from "@/lib/server/queue/claim-next-image";
import {
  createAnnotators,
  createFixtureProject,
  createSubjectWithImages,
} from "@/lib/server/queue/queue-test-fixtures";
import { assignImages, assignmentSummary, dueForPerson } from "./assign-images";

const submit = (annotationId: string) =>
  db.annotation.update({ where: { id: annotationId }, data: { status: "submitted", submittedAt: new Date() } });

describe("assignment: managers hand images to people; the claim path serves them first and to nobody else", () => {
  it("serves a person's assigned images before the open queue, keeps them from others, and counts what is due", async () => {
    const fixture = await createFixtureProject();
    const projectId = fixture.project.id;
    const { images } = await createSubjectWithImages(fixture, 5); // oldest first
    const [ann, bob] = await createAnnotators(projectId, 2);
    // The two newest images go to Ann; a batch of the oldest open one to Bob.
    const named = await assignImages(
      projectId,
      ZAssignImages.parse({ assigneeId: ann.id, imageIds: [images[3]!.id, images[4]!.id] }),
      fixture.manager.id,
    );
    expect(named.assigned).toBe(2);
    const batch = await assignImages(
      projectId,
      ZAssignImages.parse({ assigneeId: bob.id, count: 1 }),
      fixture.manager.id,
    );
    expect(batch.imageIds).toEqual([images[0]!.id]);
    expect(await assignmentSummary(projectId)).toEqual([
      { userId: ann.id, name: ann.name, due: 2, done: 0 },
      { userId: bob.id, name: bob.name, due: 1, done: 0 },
    ]);

    // Ann gets her assigned images first (oldest of them first), though older open images exist.
    const first = await claimNextImage(projectId, ann.id);
    expect(first.imageId).toBe(images[3]!.id);
    await submit(first.annotationId!);
    const second = await claimNextImage(projectId, ann.id);
    expect(second.imageId).toBe(images[4]!.id);
    await submit(second.annotationId!);
    expect(await dueForPerson(projectId, ann.id)).toBe(0);
    // Then the open queue — never Bob's assigned image.
    const third = await claimNextImage(projectId, ann.id);
    expect(third.imageId).toBe(images[1]!.id);
    await submit(third.annotationId!);
    const fourth = await claimNextImage(projectId, ann.id);
    expect(fourth.imageId).toBe(images[2]!.id);
    await submit(fourth.annotationId!);
    const empty = await claimNextImage(projectId, ann.id);
    expect(empty.imageId).toBeNull();

    const bobs = await claimNextImage(projectId, bob.id);
    expect(bobs.imageId).toBe(images[0]!.id);
    expect(await assignmentSummary(projectId)).toEqual([
      { userId: ann.id, name: ann.name, due: 0, done: 2 },
      { userId: bob.id, name: bob.name, due: 1, done: 0 }, // a draft is still due
    ]);
  });

  it("opens an assigned image's remaining slots to others once the assignee handed it in", async () => {
    const fixture = await createFixtureProject({ annotationsPerImage: 2 });
    const projectId = fixture.project.id;
    const { images } = await createSubjectWithImages(fixture, 1);
    const [ann, bob] = await createAnnotators(projectId, 2);
    await assignImages(
      projectId,
      ZAssignImages.parse({ assigneeId: ann.id, imageIds: [images[0]!.id] }),
      fixture.manager.id,
    );
    expect((await claimNextImage(projectId, bob.id)).imageId).toBeNull();
    const anns = await claimNextImage(projectId, ann.id);
    expect((await claimNextImage(projectId, bob.id)).imageId).toBeNull(); // her draft still reserves it
    await submit(anns.annotationId!);
    expect((await claimNextImage(projectId, bob.id)).imageId).toBe(images[0]!.id);
  });

  it("serves the assigned image whose subject consents, however many older assigned ones wait for consent", async () => {
    const fixture = await createFixtureProject();
    const projectId = fixture.project.id;
    const { images: open } = await createSubjectWithImages(fixture, 1); // the oldest, not assigned
    const { images: blocked } = await createSubjectWithImages(fixture, 1, { scopes: null }); // no consent record
    const { images: consenting } = await createSubjectWithImages(fixture, 1); // the newest
    const [ann] = await createAnnotators(projectId, 1);
    // More consent-blocked assigned images, older than the consenting one, than the claim ever read at once.
    const template = await db.image.findUniqueOrThrow({ where: { id: blocked[0]!.id } });
    await db.image.createMany({
      data: Array.from({ length: 250 }, (_, k) => ({
        projectId,
        subjectId: template.subjectId,
        sha256: `blocked-${k}-${template.sha256}`,
        byteSize: 64,
        mimeType: "image/jpeg",
        width: 640,
        height: 480,
        metadata: {},
        createdAt: new Date(template.createdAt.getTime() + k),
      })),
    });
    await db.image.updateMany({
      where: { projectId, OR: [{ subjectId: template.subjectId }, { id: consenting[0]!.id }] },
      data: { assignedToId: ann.id },
    });

    const claim = await claimNextImage(projectId, ann.id);
    expect(claim.imageId).toBe(consenting[0]!.id);
    await submit(claim.annotationId!);
    expect((await claimNextImage(projectId, ann.id)).imageId).toBe(open[0]!.id);
  });

  it("refuses bad assignments and changes nothing", async () => {
    const fixture = await createFixtureProject();
    const projectId = fixture.project.id;
    const { images } = await createSubjectWithImages(fixture, 1);
    const [ann] = await createAnnotators(projectId, 1);
    const other = await createFixtureProject();
    const { images: foreign } = await createSubjectWithImages(other, 1);
    const attempt = (input: unknown) => assignImages(projectId, ZAssignImages.parse(input), fixture.manager.id);
    await expect(attempt({ assigneeId: fixture.manager.id, imageIds: [images[0]!.id] })).rejects.toThrow(
      /not an annotator of this project/,
    );
    await expect(attempt({ assigneeId: ann.id, imageIds: [images[0]!.id, foreign[0]!.id] })).rejects.toThrow(
      /1 of the named images are not in this project/,
    );
    expect((await db.image.findUniqueOrThrow({ where: { id: images[0]!.id } })).assignedToId).toBeNull();
    expect(ZAssignImages.safeParse({ assigneeId: ann.id, imageIds: ["x"], count: 2 }).success).toBe(false);
    expect(ZAssignImages.safeParse({ assigneeId: null, count: 2 }).success).toBe(false);
    expect(ZAssignImages.safeParse({ assigneeId: ann.id }).success).toBe(false);

    // Taking an image back returns it to the open queue.
    await attempt({ assigneeId: ann.id, imageIds: [images[0]!.id] });
    await attempt({ assigneeId: null, imageIds: [images[0]!.id] });
    expect((await db.image.findUniqueOrThrow({ where: { id: images[0]!.id } })).assignedToId).toBeNull();
  });
});
