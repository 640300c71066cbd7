import { createHash } from "node:crypto";
import sharp from "sharp";
import { describe, expect, it } from "vitest";
import { validateCocoKeypoints } from "@/lib/export/coco";
import { ZExportOptions } from "@/lib/export/options";
import { fingertipRegions } from "@/lib/blur/fingertip-regions";
import { laplacianVariance, toGrey } from "@/lib/blur/sharpness";
import { db } from "@/lib/server/db";
import { storage } from "@/lib/server/storage/storage";
import { withdrawConsent } from "@/lib/server/consent/withdraw-consent";
import { createAnnotators, createFixtureProject } from "@/lib/server/queue/queue-test-fixtures";
import { requestExport } from "./export-jobs";
import { consentingSubjectWithLabels, runQueuedExport } from "./export-test-fixtures";

async function exportNow(projectId: string, managerId: string) {
  const job = await requestExport(
    projectId,
    ZExportOptions.parse({ purpose: "research", formats: ["coco", "yolo"] }),
    managerId,
  );
  return runQueuedExport(job.id);
}

describe("runExport", () => {
  it("writes a strict COCO dataset of blurred images, only with consent for the purpose, and a manifest that checks out", async () => {
    const fixture = await createFixtureProject();
    const [annotator] = await createAnnotators(fixture.project.id, 1);
    const consenting = await consentingSubjectWithLabels(fixture, ["annotation", "research"], [0, 1, 2], annotator.id);
    await consentingSubjectWithLabels(fixture, ["annotation"], [3], annotator.id); // no research consent

    const { result, files } = await exportNow(fixture.project.id, fixture.manager.id);
    expect(result.images).toBe(3);
    expect(result.leftOut).toEqual([{ reason: "The subject did not consent to this purpose", count: 1 }]);

    let cocoImages = 0;
    for (const split of ["train", "val", "test"]) {
      const coco = JSON.parse(files.get(`annotations/${split}.json`)!.toString());
      expect(validateCocoKeypoints(coco)).toEqual([]);
      cocoImages += coco.images.length;
      for (const image of coco.images) expect(files.has(image.file_name)).toBe(true);
    }
    expect(cocoImages).toBe(3);
    for (const name of ["phalanx.json", "phalanx.schema.json", "DATASHEET.md", "manifest.json", "data.yaml"])
      expect(files.has(name)).toBe(true);

    const manifest = JSON.parse(files.get("manifest.json")!.toString());
    for (const file of manifest.files) {
      expect(createHash("sha256").update(files.get(file.path)!).digest("hex")).toBe(file.sha256);
    }
    expect(manifest.consentRecords.map((r: { subjectCode: string }) => r.subjectCode)).toEqual([consenting.code]);
    // A repeat export copies the cached JPEGs (their hashes named in the cache keys): its manifest still checks out.
    const repeat = await exportNow(fixture.project.id, fixture.manager.id);
    const repeatManifest = JSON.parse(repeat.files.get("manifest.json")!.toString());
    for (const file of repeatManifest.files)
      expect(createHash("sha256").update(repeat.files.get(file.path)!).digest("hex")).toBe(file.sha256);
    expect(repeatManifest.files.filter((f: { path: string }) => f.path.endsWith(".jpg"))).toEqual(
      manifest.files.filter((f: { path: string }) => f.path.endsWith(".jpg")),
    );

    // Fingertips are blurred in every exported image: ridge-level detail is gone inside the regions.
    const full = JSON.parse(files.get("phalanx.json")!.toString());
    for (const item of full) {
      const exported = files.get(item.file_name)!;
      const original = await storage().get(
        (await db.image.findUniqueOrThrow({ where: { id: item.imageId } })).originalKey!,
      );
      const regions = fingertipRegions(item.hands, { width: item.width, height: item.height });
      const variance = async (bytes: Buffer) => {
        const { data, info } = await sharp(bytes).removeAlpha().raw().toBuffer({ resolveWithObject: true });
        return laplacianVariance(toGrey(data, info.width, info.height, info.channels), info.width, info.height, regions)
          .variance;
      };
      expect(await variance(exported)).toBeLessThan(0.5 * (await variance(original)));
      expect((await sharp(exported).metadata()).exif).toBeUndefined();
    }
    expect(files.get("DATASHEET.md")!.toString()).not.toContain(consenting.id);
  });

  it("leaves a subject out of the next export once they withdraw, and lists the earlier export", async () => {
    const fixture = await createFixtureProject();
    const [annotator] = await createAnnotators(fixture.project.id, 1);
    const subject = await consentingSubjectWithLabels(fixture, ["annotation", "research"], [4, 5], annotator.id);
    const first = await exportNow(fixture.project.id, fixture.manager.id);
    expect(first.result.images).toBe(2);
    const withdrawal = await withdrawConsent(
      fixture.project.id,
      subject.id,
      { reason: "asked", channel: "email" },
      fixture.manager.id,
    );
    expect(withdrawal.affectedExports).toHaveLength(1);
    const second = await exportNow(fixture.project.id, fixture.manager.id);
    expect(second.result.images).toBe(0);
  });
});
