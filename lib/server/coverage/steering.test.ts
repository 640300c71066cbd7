import { describe, expect, it } from "vitest";
import { DEMO_POSES, demoPoseToHand } from "@/lib/demo/poses";
import { drawHandImage } from "@/lib/demo/draw-hand";
import { ZExportOptions } from "@/lib/export/options";
import { db } from "@/lib/server/db";
import { storage } from "@/lib/server/storage/storage";
import { ingestImage } from "@/lib/server/images/ingest-image";
import { claimExportJob, executeExportJob, requestExport } from "@/lib/server/export/export-jobs";
import { claimNextImage } from "@/lib/server/queue/claim-next-image";
import {
  createAnnotators,
  createFixtureProject,
  createSubjectWithImages,
} from "@/lib/server/queue/queue-test-fixtures";
import { unzip } from "@/test/unzip";
import { createTarget } from "./coverage-targets";
import { setQueueCoverageFirst } from "./queue-priority";

describe("steering towards coverage targets", () => {
  it("hands out images of people who fill an open target first, once the project asks for it", async () => {
    const fixture = await createFixtureProject();
    const [first, second] = await createAnnotators(fixture.project.id, 2);
    const light = await createSubjectWithImages(fixture, 2); // older images: first in the plain queue
    await db.subject.update({ where: { id: light.subject.id }, data: { monkSkinTone: 2 } });
    const dark = await createSubjectWithImages(fixture, 2);
    await db.subject.update({ where: { id: dark.subject.id }, data: { monkSkinTone: 9 } });
    await createTarget(
      fixture.project.id,
      { name: "Dark skin", kind: "min_count", value: 10, cell: { skinToneBand: ["8-10"] }, each: null },
      fixture.manager.id,
    );

    const plain = await claimNextImage(fixture.project.id, first.id);
    expect(plain.imageId).toBe(light.images[0].id);

    await setQueueCoverageFirst(fixture.project.id, true, fixture.manager.id);
    const steered = await claimNextImage(fixture.project.id, second.id);
    expect(steered.imageId).toBe(dark.images[0].id);
  });

  it("exports a balanced dataset, reproducibly, whose datasheet reports the targets and what balancing dropped", async () => {
    const fixture = await createFixtureProject();
    const [annotator] = await createAnnotators(fixture.project.id, 1);
    const { subject } = await createSubjectWithImages(fixture, 0);
    const tones = [2, 2, 3, 2, 9, 8];
    for (const [i, tone] of tones.entries()) {
      const pose = DEMO_POSES[i % DEMO_POSES.length];
      const image = await ingestImage({
        projectId: fixture.project.id,
        subjectId: subject.id,
        bytes: await drawHandImage(pose),
        filename: `${i}.jpg`,
        uploadedById: fixture.manager.id,
      });
      const hand = demoPoseToHand(pose);
      // Written without the coverage columns (as older rows are): export balancing backfills them.
      await db.annotation.create({
        data: {
          imageId: image.id,
          annotatorId: annotator.id,
          status: "accepted",
          imageFlags: [],
          qualityFlags: [],
          hands: {
            create: {
              position: 0,
              handedness: hand.handedness,
              keypoints: hand.keypoints,
              gesture: hand.gesture,
              view: hand.view,
              skinTone: tone,
              attributes: {},
              qualityFlags: [],
            },
          },
        },
      });
    }
    await createTarget(
      fixture.project.id,
      { name: "Dark skin tones", kind: "min_count", value: 5, cell: { skinToneBand: ["8-10"] }, each: null },
      fixture.manager.id,
    );

    const exportWith = async (seed: number) => {
      const job = await requestExport(
        fixture.project.id,
        ZExportOptions.parse({
          purpose: "research",
          seed,
          balance: { mode: "cap", dimension: "skinToneBand", cap: 2 },
        }),
        fixture.manager.id,
      );
      const claim = await claimExportJob();
      expect(claim?.exportId).toBe(job.id);
      const result = await executeExportJob(claim!);
      const row = await db.export.findUniqueOrThrow({ where: { id: job.id } });
      const files = await unzip(await storage().get(row.archiveKey!));
      const images = [...files.keys()].filter((name) => name.startsWith("images/")).sort();
      return { result: result!, datasheet: files.get("DATASHEET.md")!.toString("utf8"), images };
    };
    const a = await exportWith(5);
    expect(a.result.images).toBe(4);
    expect(a.result.leftOut).toContainEqual({
      reason: "Balancing by perceived skin tone band: Monk 1–3 over the cap of 2 images",
      count: 2,
    });
    expect(a.datasheet).toContain("## Coverage against the project's targets");
    expect(a.datasheet).toMatch(
      /\| Dark skin tones \| Perceived skin tone band: Monk 8–10 \| 2 \| ≥ 5 \| no: 3 short \|/,
    );
    expect(a.datasheet).toContain("4 kept, 2 dropped");
    expect((await exportWith(5)).images).toEqual(a.images);
  });
});
