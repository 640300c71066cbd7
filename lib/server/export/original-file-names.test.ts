import { describe, expect, it } from "vitest";
import { ZExportOptions } from "@/lib/export/options";
import { db } from "@/lib/server/db";
import { createAnnotators, createFixtureProject } from "@/lib/server/queue/queue-test-fixtures";
import { requestExport } from "./export-jobs";
import { consentingSubjectWithLabels, runQueuedExport } from "./export-test-fixtures";

describe("export option: original file names in phalanx.json", () => {
  it("adds each image's uploaded name as a label when asked, never as a path, and leaves it out by default", async () => {
    const fixture = await createFixtureProject();
    const [annotator] = await createAnnotators(fixture.project.id, 1);
    await consentingSubjectWithLabels(fixture, ["annotation", "research"], [0, 1], annotator.id);
    const images = await db.image.findMany({ where: { projectId: fixture.project.id }, select: { id: true } });
    for (const [index, image] of images.entries())
      await db.image.update({ where: { id: image.id }, data: { originalFilename: `../IMG_00${index} Jane.jpg` } });

    const exportWith = async (extra: Record<string, unknown>) => {
      const job = await requestExport(
        fixture.project.id,
        ZExportOptions.parse({ purpose: "research", ...extra }),
        fixture.manager.id,
      );
      const { files } = await runQueuedExport(job.id);
      return { files, items: JSON.parse(files.get("phalanx.json")!.toString()) as Record<string, unknown>[] };
    };
    const named = await exportWith({ includeOriginalFileNames: true });
    expect(named.items.map((item) => item.original_file_name).sort()).toEqual([
      "../IMG_000 Jane.jpg",
      "../IMG_001 Jane.jpg",
    ]);
    for (const path of named.files.keys()) expect(path).not.toContain("Jane");
    const plain = await exportWith({});
    expect(plain.items.every((item) => !("original_file_name" in item))).toBe(true);
  });
});
