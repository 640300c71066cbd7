import { describe, expect, it } from "vitest";
import { templateHand, jitterHand, seededRandom } from "@/lib/qc/synthetic-hands";
import { db } from "@/lib/server/db";
import { claimNextImage } from "@/lib/server/queue/claim-next-image";
import { saveAnnotation } from "@/lib/server/annotations/save-annotation";
import { submitAnnotation } from "@/lib/server/annotations/submit-annotation";
import {
  createAnnotators,
  createFixtureProject,
  createSubjectWithImages,
} from "@/lib/server/queue/queue-test-fixtures";
import { setGold } from "./gold";

const goldHand = () => templateHand({ handedness: "left", view: "palm", wrist: [320, 400], middleMcp: [320, 250] });

/** Claims, labels with `hands`, submits: the annotation after submission. */
async function labelGold(projectId: string, userId: string, hands: ReturnType<typeof goldHand>[]) {
  const claim = await claimNextImage(projectId, userId, new Date(), () => 0);
  if (!claim.annotationId) throw new Error("nothing claimed");
  const saved = await saveAnnotation(claim.annotationId, userId, {
    version: 1,
    doc: { hands, noHands: false, imageFlags: [] },
    activeMs: 1000,
  });
  await submitAnnotation(claim.annotationId, userId, { version: saved.version });
  return db.annotation.findUniqueOrThrow({ where: { id: claim.annotationId } });
}

describe("gold", () => {
  it("mixes gold images into the queue and scores the labels against the gold by OKS instead of reviewing them", async () => {
    const fixture = await createFixtureProject();
    await db.project.update({ where: { id: fixture.project.id }, data: { goldRate: 0.5 } }); // the claim below draws 0, so the gold image comes first
    const { images } = await createSubjectWithImages(fixture, 3);
    const [expert, careful, sloppy] = await createAnnotators(fixture.project.id, 3);
    const gold = await db.annotation.create({
      data: {
        imageId: images[0].id,
        annotatorId: expert.id,
        status: "accepted",
        imageFlags: [],
        qualityFlags: [],
        hands: {
          create: {
            position: 0,
            handedness: "left",
            keypoints: goldHand().keypoints,
            bbox: goldHand().bbox ?? undefined,
            attributes: {},
            qualityFlags: [],
          },
        },
      },
    });
    await expect(setGold(fixture.project.id, gold.id, true, fixture.manager.id)).resolves.toBeUndefined();

    const good = await labelGold(fixture.project.id, careful.id, [jitterHand(goldHand(), seededRandom(1), 1)]);
    expect(good.imageId).toBe(images[0].id);
    expect(good.status).toBe("accepted");
    expect(good.goldScore).toBeGreaterThan(0.9);

    const bad = await labelGold(fixture.project.id, sloppy.id, [jitterHand(goldHand(), seededRandom(2), 25)]);
    expect(bad.imageId).toBe(images[0].id);
    expect(bad.goldScore!).toBeLessThan(good.goldScore!);
    expect(await db.auditEvent.count({ where: { action: "gold.marked", targetId: gold.id } })).toBe(1);
  });

  it("only accepted annotations can be gold, and only in their own project", async () => {
    const fixture = await createFixtureProject();
    const other = await createFixtureProject();
    const { images } = await createSubjectWithImages(fixture, 1);
    const [annotator] = await createAnnotators(fixture.project.id, 1);
    const draft = await db.annotation.create({
      data: { imageId: images[0].id, annotatorId: annotator.id, status: "draft", imageFlags: [], qualityFlags: [] },
    });
    await expect(setGold(fixture.project.id, draft.id, true, fixture.manager.id)).rejects.toMatchObject({
      code: "conflict",
    });
    await expect(setGold(other.project.id, draft.id, true, other.manager.id)).rejects.toMatchObject({
      code: "not_found",
    });
  });
});
