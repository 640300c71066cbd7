/** The save path records model assistance: Annotation.source and the raw prediction beside the labels. */
import { describe, expect, it } from "vitest";
import { db } from "@/lib/server/db";
import { saveAnnotation } from "@/lib/server/annotations/save-annotation";
import { ZSaveAnnotation } from "@/lib/annotate/schema";
import { claimNextImage } from "@/lib/server/queue/claim-next-image";
import {
  createAnnotators,
  createFixtureProject,
  createSubjectWithImages,
} from "@/lib/server/queue/queue-test-fixtures";
import { rawPrediction, resultsToHands } from "./mediapipe";

const image = { width: 640, height: 480 };
const landmarks = Array.from({ length: 21 }, (_, j) => ({
  x: 0.3 + (j % 5) * 0.05,
  y: 0.3 + Math.floor(j / 5) * 0.05,
  z: 0,
}));
const results = { multiHandLandmarks: [landmarks], multiHandedness: [{ index: 0, score: 0.93, label: "Left" }] };

async function setup() {
  const fixture = await createFixtureProject({ withdrawalPolicy: "quarantine" });
  await createSubjectWithImages(fixture, 1, image);
  const [alice] = await createAnnotators(fixture.project.id, 1);
  const claim = await claimNextImage(fixture.project.id, alice.id);
  if (claim.annotationId === null) throw new Error("no claim");
  return { userId: alice.id, annotationId: claim.annotationId };
}

describe("saving a model-assisted annotation", () => {
  it("stores source and raw prediction; later saves without them keep both", async () => {
    const { userId, annotationId } = await setup();
    const hands = resultsToHands(results, image).map((d) => d.hand);
    const modelPrediction = rawPrediction(results, { options: { maxNumHands: 4 }, image, input: image, ms: 250 });
    await saveAnnotation(
      annotationId,
      userId,
      ZSaveAnnotation.parse({
        version: 1,
        doc: { hands, noHands: false, imageFlags: [] },
        source: "model_assisted",
        modelPrediction,
      }),
    );
    let row = await db.annotation.findUniqueOrThrow({ where: { id: annotationId } });
    expect(row.source).toBe("model_assisted");
    expect(row.modelPrediction).toEqual(JSON.parse(JSON.stringify(modelPrediction)));

    const nudged = hands.map((h) => ({
      ...h,
      keypoints: h.keypoints.map((p, j) => (j === 8 ? { ...p, x: p.x + 3 } : p)),
    }));
    await saveAnnotation(
      annotationId,
      userId,
      ZSaveAnnotation.parse({ version: 2, doc: { hands: nudged, noHands: false, imageFlags: [] } }),
    );
    row = await db.annotation.findUniqueOrThrow({ where: { id: annotationId } });
    expect(row.source).toBe("model_assisted");
    expect((row.modelPrediction as { hands: unknown[] }).hands).toHaveLength(1);
  });

  it("a manual save stays manual with no prediction", async () => {
    const { userId, annotationId } = await setup();
    await saveAnnotation(
      annotationId,
      userId,
      ZSaveAnnotation.parse({ version: 1, doc: { hands: [], noHands: true, imageFlags: [] } }),
    );
    const row = await db.annotation.findUniqueOrThrow({ where: { id: annotationId } });
    expect(row.source).toBe("manual");
    expect(row.modelPrediction).toBeNull();
  });

  it("the save body's schema refuses an oversized or non-object prediction and an unknown source", () => {
    const doc = { hands: [], noHands: true, imageFlags: [] };
    for (const bad of [
      { modelPrediction: { blob: "x".repeat(70 * 1024) } },
      { modelPrediction: "a string" },
      { source: "imported" },
    ]) {
      expect(ZSaveAnnotation.safeParse({ version: 1, doc, ...bad }).success, JSON.stringify(bad).slice(0, 40)).toBe(
        false,
      );
    }
  });
});

describe("the rubber-stamp guard on submit", () => {
  it("flags a proposal handed in unchanged and quickly, sends it to review, and records the correction distance", async () => {
    const { userId, annotationId } = await setup();
    await db.project.updateMany({
      where: { images: { some: { annotations: { some: { id: annotationId } } } } },
      data: { reviewSampleRate: 0 },
    });
    const hands = resultsToHands(results, image).map((d) => ({ ...d.hand, handedness: "left" as const }));
    const modelPrediction = rawPrediction(results, { options: {}, image, input: image, ms: 250 });
    const saved = await saveAnnotation(
      annotationId,
      userId,
      ZSaveAnnotation.parse({
        version: 1,
        doc: { hands, noHands: false, imageFlags: [] },
        source: "model_assisted",
        modelPrediction,
        activeMs: 2_000,
      }),
    );
    const { submitAnnotation } = await import("@/lib/server/annotations/submit-annotation");
    await submitAnnotation(annotationId, userId, { version: saved.version });
    const row = await db.annotation.findUniqueOrThrow({ where: { id: annotationId } });
    expect(row.modelCorrectionPx).toBeCloseTo(0, 3);
    expect((row.qualityFlags as { code: string }[]).map((f) => f.code)).toContain("model-unchanged");
    expect(row.status).toBe("submitted"); // flagged work is always reviewed, even at a 0 % sample
  });

  it("counts the active time sent with the submit: a proposal reviewed for long enough is not flagged", async () => {
    const { userId, annotationId } = await setup();
    const hands = resultsToHands(results, image).map((d) => ({ ...d.hand, handedness: "left" as const }));
    const modelPrediction = rawPrediction(results, { options: {}, image, input: image, ms: 250 });
    const saved = await saveAnnotation(
      annotationId,
      userId,
      ZSaveAnnotation.parse({
        version: 1,
        doc: { hands, noHands: false, imageFlags: [] },
        source: "model_assisted",
        modelPrediction,
        activeMs: 2_000,
      }),
    );
    const { submitAnnotation } = await import("@/lib/server/annotations/submit-annotation");
    await submitAnnotation(annotationId, userId, { version: saved.version, activeMs: 20_000 });
    const row = await db.annotation.findUniqueOrThrow({ where: { id: annotationId } });
    expect(row.timeSpentMs).toBe(22_000);
    expect((row.qualityFlags as { code: string }[]).map((f) => f.code)).not.toContain("model-unchanged");
  });
});
