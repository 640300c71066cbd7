/**
 * Left/right without a view is checked at submit against the hand-landmark network run on the hand's box in the
 * stored display rendition (lib/server/qc/network-model.ts): a manual, unviewed hand whose side is swapped goes to
 * review with a strong flag that names left/right; the correct side passes. Real database, real storage, the real
 * network on a real sample photo (../shared/hands-sample, skipped when absent: not bundled, for licence reasons).
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import type { THand } from "@/lib/hand/schema";
import { swapHandedness } from "@/lib/qc/planted-errors";
import { loadSampleHands, SAMPLE_FOLDER } from "@/lib/qc/sample-hands";
import { db } from "@/lib/server/db";
import { storage } from "@/lib/server/storage/storage";
import { claimNextImage } from "@/lib/server/queue/claim-next-image";
import { saveAnnotation } from "@/lib/server/annotations/save-annotation";
import { submitAnnotation } from "@/lib/server/annotations/submit-annotation";
import {
  createAnnotators,
  createFixtureProject,
  createSubjectWithImages,
} from "@/lib/server/queue/queue-test-fixtures";

const sample = loadSampleHands()?.find((s) => s.file.startsWith("freihand") && s.hand.handedness === "right");
if (!sample) console.log(`Skipping the submit-time network check: ${SAMPLE_FOLDER} is absent.`);
type TFlags = { code: string; severity: string; message: string; hand: number }[];

describe.skipIf(!sample)("left/right without a view at submit: the hand-landmark network", () => {
  it("sends a swapped, unviewed manual hand to review with a strong left/right flag, and accepts the correct side", async () => {
    const { file, image, hand } = sample!;
    const fixture = await createFixtureProject();
    await db.project.update({ where: { id: fixture.project.id }, data: { reviewSampleRate: 0 } });
    const { images } = await createSubjectWithImages(fixture, 3, image);
    const photo = readFileSync(path.join(SAMPLE_FOLDER, file));
    for (const stored of images) {
      const key = `test/display-${stored.id}.jpg`;
      await storage().put(key, photo);
      await db.image.update({ where: { id: stored.id }, data: { displayKey: key } });
    }
    const [ada, bo, cy] = await createAnnotators(fixture.project.id, 3);
    const submit = async (userId: string, labelled: THand) => {
      const claim = await claimNextImage(fixture.project.id, userId, new Date(), () => 0);
      const saved = await saveAnnotation(claim.annotationId!, userId, {
        version: 1,
        doc: { hands: [labelled], noHands: false, imageFlags: [] },
        activeMs: 60_000,
      });
      await submitAnnotation(claim.annotationId!, userId, { version: saved.version });
      const row = await db.annotation.findUniqueOrThrow({
        where: { id: claim.annotationId! },
        select: { status: true, qualityFlags: true },
      });
      return { status: row.status, flags: row.qualityFlags as TFlags };
    };
    const noView = { ...hand, view: null };

    const correct = await submit(ada!.id, noView);
    expect(correct.flags.filter((f) => f.code.startsWith("handedness"))).toEqual([]);
    expect(correct.flags.filter((f) => f.severity === "strong")).toEqual([]);

    const swapped = await submit(bo!.id, swapHandedness(noView));
    expect(swapped.status).toBe("submitted");
    const flag = swapped.flags.find((f) => f.code === "handedness-network");
    expect(flag).toMatchObject({ severity: "strong", hand: 0 });
    expect(flag!.message).toMatch(
      /labelled left, but the hand-landmark network, run on this hand's box at submit, saw a right hand/,
    );

    // With the view set the geometry decides and the network is not run: the swap is caught by the geometry.
    const viewed = await submit(cy!.id, swapHandedness({ ...hand, view: "back" }));
    expect(viewed.flags.map((f) => f.code)).toContain("handedness-mismatch");
    expect(viewed.flags.map((f) => f.code)).not.toContain("handedness-network");
  }, 120_000);
});
