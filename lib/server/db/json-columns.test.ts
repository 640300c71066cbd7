/** JSON columns pass through their schema at one boundary, and the stored labels' schema version is written and checked. */
import { describe, expect, it } from "vitest";
import { ANNOTATION_SCHEMA_VERSION } from "@/lib/annotate/schema";
import { db } from "@/lib/server/db";
import { readAnnotationDoc } from "@/lib/server/annotations/read-annotation-doc";
import { saveAnnotation } from "@/lib/server/annotations/save-annotation";
import { claimNextImage } from "@/lib/server/queue/claim-next-image";
import {
  createAnnotators,
  createFixtureProject,
  createSubjectWithImages,
} from "@/lib/server/queue/queue-test-fixtures";
import { annotationQualityFlagsColumn, imagePreAnnotationColumn, readMediaPipePrediction } from "./json-columns";

describe("jsonColumn", () => {
  it("refuses to write a malformed value and names the column when a stored value is corrupt", () => {
    expect(() =>
      annotationQualityFlagsColumn.write([
        { code: "no-such-check", severity: "strong", message: "x", joints: [], hand: 0 },
      ] as never),
    ).toThrow();
    expect(() => annotationQualityFlagsColumn.read({ not: "an array" })).toThrow(/Annotation\.qualityFlags/);
    expect(annotationQualityFlagsColumn.read([])).toEqual([]);
    expect(imagePreAnnotationColumn.read(null)).toBeNull();
    expect(() => imagePreAnnotationColumn.read({ source: "imported", hands: "none" })).toThrow(/Image\.preAnnotation/);
  });

  it("reads a model prediction of another shape as no MediaPipe prediction", () => {
    expect(readMediaPipePrediction({ anything: 1 })).toBeNull();
    expect(readMediaPipePrediction(null)).toBeNull();
  });
});

describe("Annotation.schemaVersion", () => {
  it("is written at save and checked at read: labels of an unknown version are refused, not misread", async () => {
    const fixture = await createFixtureProject();
    await createSubjectWithImages(fixture, 1);
    const [alice] = await createAnnotators(fixture.project.id, 1);
    const { annotationId } = await claimNextImage(fixture.project.id, alice.id);
    await db.annotation.update({ where: { id: annotationId! }, data: { schemaVersion: 0 } });
    await expect(readAnnotationDoc(annotationId!)).rejects.toThrow(/schema version 0/);
    // A save stores the labels in the current shape, so it writes the current version.
    await saveAnnotation(annotationId!, alice.id, {
      version: 1,
      doc: { hands: [], noHands: true, imageFlags: [] },
      activeMs: 0,
    });
    const row = await db.annotation.findUniqueOrThrow({
      where: { id: annotationId! },
      select: { schemaVersion: true },
    });
    expect(row.schemaVersion).toBe(ANNOTATION_SCHEMA_VERSION);
    expect((await readAnnotationDoc(annotationId!)).doc.noHands).toBe(true);
  });
});
