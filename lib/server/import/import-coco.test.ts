import { describe, expect, it } from "vitest";
import { DEMO_POSES, demoPoseToHand } from "@/lib/demo/poses";
import { drawHandImage } from "@/lib/demo/draw-hand";
import { createCocoWriter } from "@/lib/export/coco";
import { db } from "@/lib/server/db";
import { ingestImage } from "@/lib/server/images/ingest-image";
import { readAnnotationDoc } from "@/lib/server/annotations/read-annotation-doc";
import { createFixtureProject, createSubjectWithImages } from "@/lib/server/queue/queue-test-fixtures";
import { importCoco } from "./import-coco";
import { readFileSync } from "node:fs";
import path from "node:path";
import { loadSampleHands, SAMPLE_FOLDER } from "@/lib/qc/sample-hands";

async function cocoFor(
  images: { id: string; width: number; height: number }[],
  hands: ReturnType<typeof demoPoseToHand>[],
) {
  const chunks: string[] = [];
  const writer = createCocoWriter((chunk) => void chunks.push(chunk));
  for (const [index, image] of images.entries())
    await writer.addImage({
      id: index + 1,
      file_name: `images/train/${image.id}.jpg`,
      width: image.width,
      height: image.height,
    });
  for (const [index] of images.entries()) await writer.addAnnotation({ image_id: index + 1, hand: hands[index] });
  await writer.finish();
  return chunks.join("");
}

describe("importCoco", () => {
  it("imports accepted labels matched by file name and reproduces keypoints, v and handedness", async () => {
    const fixture = await createFixtureProject();
    const { subject } = await createSubjectWithImages(fixture, 0);
    const images = [];
    for (const pose of DEMO_POSES.slice(0, 3))
      images.push(
        await ingestImage({
          projectId: fixture.project.id,
          subjectId: subject.id,
          bytes: await drawHandImage(pose),
          filename: `${pose.name}.jpg`,
          uploadedById: fixture.manager.id,
        }),
      );
    const hands = DEMO_POSES.slice(0, 3).map(demoPoseToHand);
    const report = await importCoco(
      fixture.project.id,
      await cocoFor(images, hands),
      { skipInvalid: false },
      fixture.manager.id,
    );
    expect(report).toMatchObject({ imported: 3, hands: 3, invalid: [] });
    for (const [index, image] of images.entries()) {
      const annotation = await db.annotation.findFirstOrThrow({
        where: { imageId: image.id },
        select: { id: true, status: true, source: true },
      });
      expect(annotation).toMatchObject({ status: "accepted", source: "imported" });
      const [hand] = (await readAnnotationDoc(annotation.id)).doc.hands;
      expect(hand.handedness).toBe(hands[index].handedness);
      hand.keypoints.forEach((point, j) => {
        const expected = hands[index].keypoints[j];
        expect(point.state).toBe(expected.state);
        expect(Math.abs(point.x - expected.x)).toBeLessThanOrEqual(0.01);
        expect(Math.abs(point.y - expected.y)).toBeLessThanOrEqual(0.01);
      });
    }
  });

  it("imports nothing when one annotation is invalid, unless asked to skip the invalid ones", async () => {
    const fixture = await createFixtureProject();
    const { images } = await createSubjectWithImages(fixture, 2);
    const hands = DEMO_POSES.slice(0, 2).map(demoPoseToHand);
    const coco = JSON.parse(await cocoFor(images, hands));
    coco.annotations[1].keypoints.push(1, 2, 2); // 22 keypoints
    const text = JSON.stringify(coco);
    await expect(
      importCoco(fixture.project.id, text, { skipInvalid: false }, fixture.manager.id),
    ).rejects.toMatchObject({ code: "invalid_input" });
    expect(await db.annotation.count({ where: { image: { projectId: fixture.project.id } } })).toBe(0);
    const report = await importCoco(fixture.project.id, text, { skipInvalid: true }, fixture.manager.id);
    expect(report.imported).toBe(1);
    expect(report.invalid).toHaveLength(1);
    expect(report.invalid[0].annotationId).toBe(coco.annotations[1].id);
    await expect(
      importCoco(fixture.project.id, "{not json", { skipInvalid: true }, fixture.manager.id),
    ).rejects.toMatchObject({ code: "invalid_input" });
  });
});

describe("importCoco as pre-annotations", () => {
  it("stores the hands on the image, and a claim of it starts from them", async () => {
    const { claimNextImage } = await import("@/lib/server/queue/claim-next-image");
    const { createAnnotators } = await import("@/lib/server/queue/queue-test-fixtures");
    const fixture = await createFixtureProject();
    const { images } = await createSubjectWithImages(fixture, 1);
    const hand = demoPoseToHand(DEMO_POSES[2]);
    const report = await importCoco(
      fixture.project.id,
      await cocoFor(images, [hand]),
      { skipInvalid: false, as: "pre-annotations" },
      fixture.manager.id,
    );
    expect(report.imported).toBe(1);
    expect(await db.annotation.count({ where: { imageId: images[0].id } })).toBe(0);
    const [annotator] = await createAnnotators(fixture.project.id, 1);
    const claim = await claimNextImage(fixture.project.id, annotator.id);
    const { doc } = await readAnnotationDoc(claim.annotationId!);
    expect(doc.hands).toHaveLength(1);
    expect(Math.abs(doc.hands[0].keypoints[8].x - hand.keypoints[8].x)).toBeLessThanOrEqual(0.01);
    expect((await db.annotation.findUniqueOrThrow({ where: { id: claim.annotationId! } })).source).toBe("imported");
  });
});

const freihand = loadSampleHands()?.filter((s) => s.file.startsWith("freihand") && s.hand.handedness === "right");
if (!freihand) console.log(`Skipping the imported left/right swap on real photos: ${SAMPLE_FOLDER} is absent.`);

describe.skipIf(!freihand)("importCoco: left/right without a view (the hand-landmark network)", () => {
  it("accepts an unviewed right hand as imported, and holds the one imported as left for review with a strong flag", async () => {
    const fixture = await createFixtureProject();
    const { subject } = await createSubjectWithImages(fixture, 0);
    const photos = freihand!.slice(0, 2);
    const images = [];
    for (const photo of photos)
      images.push(
        await ingestImage({
          projectId: fixture.project.id,
          subjectId: subject.id,
          bytes: readFileSync(path.join(SAMPLE_FOLDER, photo.file)),
          filename: photo.file,
          uploadedById: fixture.manager.id,
        }),
      );
    const hands = [
      { ...photos[0]!.hand, view: null },
      { ...photos[1]!.hand, view: null, handedness: "left" as const },
    ];
    await importCoco(fixture.project.id, await cocoFor(images, hands), { skipInvalid: false }, fixture.manager.id);
    const [kept, swapped] = await Promise.all(
      images.map((image) =>
        db.annotation.findFirstOrThrow({ where: { imageId: image.id }, select: { status: true, qualityFlags: true } }),
      ),
    );
    expect(kept!.status).toBe("accepted");
    expect(swapped!.status).toBe("submitted");
    const flags = swapped!.qualityFlags as { code: string; severity: string; message: string }[];
    expect(flags.find((f) => f.code === "handedness-network")).toMatchObject({ severity: "strong" });
  }, 120_000);
});
