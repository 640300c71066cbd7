/**
 * Strong quality flags drive review: submitted work with a likely labelling mistake always goes to a
 * reviewer (even with review sampling off, even on a gold image), the flag names the mistake, and such
 * labels cannot become gold. Real database, real queue, real submission.
 */
import { describe, expect, it } from "vitest";
import type { THand } from "@/lib/hand/schema";
import { reverseChain, swapFingers, swapHandedness } from "@/lib/qc/planted-errors";
import { paintHandPhoto, templateHand } from "@/lib/qc/synthetic-hands";
import { shiftHand } from "@/lib/qc/planted-errors";
import sharp from "sharp";
import { storage } from "@/lib/server/storage/storage";
import { db } from "@/lib/server/db";
import { claimNextImage } from "@/lib/server/queue/claim-next-image";
import { saveAnnotation } from "@/lib/server/annotations/save-annotation";
import { submitAnnotation } from "@/lib/server/annotations/submit-annotation";
import { setGold } from "@/lib/server/gold/gold";
import { claimNextReview } from "@/lib/server/review/claim-next-review";
import {
  createAnnotators,
  createFixtureProject,
  createSubjectWithImages,
} from "@/lib/server/queue/queue-test-fixtures";

const IMAGE = { width: 640, height: 480 };
const correct = () => templateHand({ handedness: "right", view: "palm", wrist: [320, 420], middleMcp: [320, 270] });
type TFlags = { code: string; severity: string; message: string; hand: number }[];

async function labelAndSubmit(
  projectId: string,
  userId: string,
  hand: THand,
  extra: { source?: "model_assisted"; modelPrediction?: unknown } = {},
) {
  const claim = await claimNextImage(projectId, userId, new Date(), () => 0);
  if (!claim.annotationId) throw new Error("nothing claimed");
  const saved = await saveAnnotation(claim.annotationId, userId, {
    version: 1,
    doc: { hands: [hand], noHands: false, imageFlags: [] },
    activeMs: 60_000,
    ...extra,
  });
  const submitted = await submitAnnotation(claim.annotationId, userId, { version: saved.version });
  const row = await db.annotation.findUniqueOrThrow({
    where: { id: claim.annotationId },
    select: { id: true, status: true, qualityFlags: true, goldScore: true },
  });
  return { ...row, submitted, flags: row.qualityFlags as TFlags };
}

async function projectWithoutSampling(images: number) {
  const fixture = await createFixtureProject();
  await db.project.update({ where: { id: fixture.project.id }, data: { reviewSampleRate: 0 } });
  const created = await createSubjectWithImages(fixture, images);
  return { fixture, images: created.images };
}

describe("strong quality flags route work to review", () => {
  it("accepts correct labels unreviewed when sampling is off, but sends swapped fingers to review with a flag that names them", async () => {
    const { fixture } = await projectWithoutSampling(2);
    const [ada, bo] = await createAnnotators(fixture.project.id, 2);

    const clean = await labelAndSubmit(fixture.project.id, ada!.id, correct());
    expect(clean.status).toBe("accepted");
    expect(clean.flags).toEqual([]);

    const swapped = await labelAndSubmit(fixture.project.id, bo!.id, swapFingers(correct(), "index", "ring"));
    expect(swapped.status).toBe("submitted");
    const strong = swapped.flags.filter((f) => f.severity === "strong");
    expect(strong.map((f) => f.message).join(" ")).toMatch(/Index and ring look swapped/);
  });

  it("sends a reversed finger chain to review", async () => {
    const { fixture } = await projectWithoutSampling(1);
    const [ada] = await createAnnotators(fixture.project.id, 1);
    const reversed = await labelAndSubmit(fixture.project.id, ada!.id, reverseChain(correct(), "middle"));
    expect(reversed.status).toBe("submitted");
    expect(
      reversed.flags
        .filter((f) => f.severity === "strong")
        .map((f) => f.message)
        .join(" "),
    ).toMatch(/middle looks labelled backwards/);
  });

  it("uses the stored model prediction's handedness when the view is not set", async () => {
    const { fixture } = await projectWithoutSampling(2);
    const [ada, bo] = await createAnnotators(fixture.project.id, 2);
    const hand = { ...correct(), view: null };
    // MediaPipe labels an ordinary (non-mirrored) photo's right hand "Left" (DESIGN.md §1).
    const prediction = {
      model: "@mediapipe/hands",
      version: "test",
      options: {},
      image: IMAGE,
      input: IMAGE,
      ms: 10,
      at: new Date().toISOString(),
      hands: [
        {
          label: "Left",
          score: 0.97,
          landmarks: hand.keypoints.map((p) => [p.x / IMAGE.width, p.y / IMAGE.height, 0]),
        },
      ],
    };
    const agrees = await labelAndSubmit(fixture.project.id, ada!.id, hand, {
      source: "model_assisted",
      modelPrediction: prediction,
    });
    expect(agrees.flags.filter((f) => f.code === "handedness-signal")).toEqual([]);

    const swapped = await labelAndSubmit(fixture.project.id, bo!.id, swapHandedness(hand), {
      source: "model_assisted",
      modelPrediction: prediction,
    });
    expect(swapped.status).toBe("submitted");
    const signal = swapped.flags.find((f) => f.code === "handedness-signal");
    expect(signal).toMatchObject({ severity: "strong" });
    expect(signal!.message).toMatch(/labelled left, but the pose model saw a right hand/);
    expect(signal!.message).toMatch(/joints alone cannot tell/);
  });

  it("reviews a strong-flagged gold run instead of accepting it on its score, and never makes such labels gold", async () => {
    const { fixture, images } = await projectWithoutSampling(2);
    await db.project.update({ where: { id: fixture.project.id }, data: { goldRate: 0.5 } }); // the claim draws 0: the gold image first
    const [expert, ada] = await createAnnotators(fixture.project.id, 2);
    const gold = await db.annotation.create({
      data: {
        imageId: images[0]!.id,
        annotatorId: expert!.id,
        status: "accepted",
        imageFlags: [],
        qualityFlags: [],
        hands: {
          create: {
            position: 0,
            handedness: "right",
            keypoints: correct().keypoints,
            bbox: correct().bbox ?? undefined,
            attributes: {},
            qualityFlags: [],
          },
        },
      },
    });
    await setGold(fixture.project.id, gold.id, true, fixture.manager.id);

    const run = await labelAndSubmit(fixture.project.id, ada!.id, swapFingers(correct(), "middle", "ring"));
    expect(run.goldScore).not.toBeNull();
    expect(run.status).toBe("submitted");

    // Accepted labels that still carry a strong flag (e.g. imported) are refused as gold, naming the mistake.
    const flags = run.flags;
    const flagged = await db.annotation.create({
      data: {
        imageId: images[1]!.id,
        annotatorId: expert!.id,
        status: "accepted",
        imageFlags: [],
        qualityFlags: flags,
        hands: {
          create: {
            position: 0,
            handedness: "right",
            keypoints: swapFingers(correct(), "middle", "ring").keypoints,
            attributes: {},
            qualityFlags: [],
          },
        },
      },
    });
    const refused = setGold(fixture.project.id, flagged.id, true, fixture.manager.id);
    await expect(refused).rejects.toMatchObject({ code: "conflict" });
    await expect(refused).rejects.toThrow(/Middle and ring look swapped/);
    expect((await db.annotation.findUniqueOrThrow({ where: { id: flagged.id } })).isGold).toBe(false);
  });

  it("hands strong-flagged work to reviewers before older unflagged work", async () => {
    const { fixture } = await projectWithoutSampling(3);
    await db.project.update({ where: { id: fixture.project.id }, data: { reviewSampleRate: 1 } });
    const [ada, bo, rui] = await createAnnotators(fixture.project.id, 3);
    const clean = await labelAndSubmit(fixture.project.id, ada!.id, correct());
    const swapped = await labelAndSubmit(fixture.project.id, bo!.id, swapFingers(correct(), "index", "ring"));
    expect([clean.status, swapped.status]).toEqual(["submitted", "submitted"]);
    expect(clean.submitted.submittedAt.getTime()).toBeLessThanOrEqual(swapped.submitted.submittedAt.getTime());
    const stored = await db.annotation.findMany({
      where: { id: { in: [clean.id, swapped.id] } },
      select: { id: true, strongFlagged: true },
    });
    expect(Object.fromEntries(stored.map((a) => [a.id, a.strongFlagged]))).toEqual({
      [clean.id]: false,
      [swapped.id]: true,
    });

    const first = await claimNextReview(fixture.project.id, rui!.id);
    expect(first).toMatchObject({ annotationId: swapped.id, resumed: false });
    await db.review.update({ where: { id: first.reviewId! }, data: { decision: "accept", decidedAt: new Date() } });
    await db.annotation.update({ where: { id: swapped.id }, data: { status: "accepted" } });
    const second = await claimNextReview(fixture.project.id, rui!.id);
    expect(second).toMatchObject({ annotationId: clean.id });
  });

  it("sends a hand labelled beside the hand in the photo to review, from the display rendition's pixels", async () => {
    const { fixture, images } = await projectWithoutSampling(2);
    const [ada, bo] = await createAnnotators(fixture.project.id, 2);
    const small = () => templateHand({ handedness: "right", view: "palm", wrist: [160, 420], middleMcp: [160, 330] });
    const photo = await sharp(paintHandPhoto(small(), IMAGE), { raw: { ...IMAGE, channels: 3 } })
      .jpeg({ quality: 90 })
      .toBuffer();
    for (const image of images) {
      const key = `test/display-${image.id}.jpg`;
      await storage().put(key, photo);
      await db.image.update({ where: { id: image.id }, data: { displayKey: key } });
    }
    const clean = await labelAndSubmit(fixture.project.id, ada!.id, small());
    expect(clean.status).toBe("accepted");
    expect(clean.flags).toEqual([]);

    const shifted = await labelAndSubmit(fixture.project.id, bo!.id, shiftHand(small(), 250, 0));
    expect(shifted.status).toBe("submitted");
    const off = shifted.flags.find((f) => f.code === "off-skin");
    expect(off).toMatchObject({ severity: "strong" });
    expect(off!.message).toMatch(/shifted off the hand: 21 of 21 joints .* fits skin about \d+ px left/);
  });
});
