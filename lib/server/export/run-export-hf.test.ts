import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import { ZExportOptions } from "@/lib/export/options";
import { JOINT_COUNT, JOINT_NAMES } from "@/lib/hand/skeleton";
import { db } from "@/lib/server/db";
import { requestExport } from "./export-jobs";
import { labelledExportProject, runQueuedExport } from "./export-test-fixtures";

type CocoFile = {
  images: { id: number; file_name: string }[];
  annotations: { image_id: number; keypoints: number[]; bbox: number[]; handedness: string; gesture: string | null }[];
};
type HfRow = {
  file_name: string;
  width: number;
  height: number;
  hands: { handedness: string; gesture: string | null; view: string; keypoints: number[][]; bbox: number[] }[];
};

describe("export with the Hugging Face imagefolder layout", () => {
  it("writes one metadata.jsonl line per image of each split, equal to the COCO annotation, absent joints 0, 0, 0", async () => {
    const fixture = await labelledExportProject(6);
    // Two joints of one hand become absent (stored with stale coordinates, as an editor might leave them).
    const hand = await db.hand.findFirstOrThrow({
      where: { annotation: { image: { projectId: fixture.project.id } } },
    });
    const keypoints = (hand.keypoints as { x: number; y: number; state: string }[]).map((p, i) =>
      i === 4 || i === 20 ? { ...p, state: "absent" } : p,
    );
    await db.hand.update({ where: { id: hand.id }, data: { keypoints } });
    const absentImage = (await db.annotation.findUniqueOrThrow({ where: { id: hand.annotationId } })).imageId;

    const job = await requestExport(
      fixture.project.id,
      ZExportOptions.parse({
        purpose: "research",
        formats: ["coco", "hf"],
        splits: { train: 0.34, val: 0.33, test: 0.33 },
      }),
      fixture.manager.id,
    );
    const { files } = await runQueuedExport(job.id);

    let rows = 0;
    let sawAbsent = false;
    for (const split of ["train", "val", "test"]) {
      const imagesHere = [...files.keys()].filter(
        (name) => name.startsWith(`images/${split}/`) && name.endsWith(".jpg"),
      );
      const metadata = files.get(`images/${split}/metadata.jsonl`);
      if (imagesHere.length === 0) {
        expect(metadata).toBeUndefined();
        continue;
      }
      const lines = metadata!.toString().split("\n");
      expect(lines.pop()).toBe(""); // ends with a newline
      const parsed: HfRow[] = lines.map((line) => JSON.parse(line));
      // Every image in the folder has exactly one line, and every line names an image in the folder.
      expect(parsed.map((r) => `images/${split}/${r.file_name}`).sort()).toEqual(imagesHere.sort());
      rows += parsed.length;

      const coco: CocoFile = JSON.parse(files.get(`annotations/${split}.json`)!.toString());
      for (const row of parsed) {
        const image = coco.images.find((i) => i.file_name === `images/${split}/${row.file_name}`)!;
        const anns = coco.annotations.filter((a) => a.image_id === image.id);
        expect(row.hands).toHaveLength(anns.length);
        row.hands.forEach((h, k) => {
          expect(h.keypoints).toHaveLength(JOINT_COUNT);
          expect(h.keypoints.flat()).toEqual(anns[k]!.keypoints);
          expect(h.bbox).toEqual(anns[k]!.bbox);
          expect([h.handedness, h.gesture]).toEqual([anns[k]!.handedness, anns[k]!.gesture]);
          if (row.file_name === `${absentImage}.jpg`) {
            sawAbsent = true;
            expect(h.keypoints[4]).toEqual([0, 0, 0]);
            expect(h.keypoints[20]).toEqual([0, 0, 0]);
          }
          for (const [x, y, v] of h.keypoints) if (v !== 0) expect(x! > 0 || y! > 0).toBe(true);
        });
      }
    }
    expect(rows).toBe(6);
    expect(sawAbsent).toBe(true);
    expect(JSON.parse(files.get("keypoints.json")!.toString()).keypoints).toEqual([...JOINT_NAMES]);

    // The manifest covers the new files like every other (sha256 of the bytes in the zip).
    const manifest = JSON.parse(files.get("manifest.json")!.toString());
    const listed = new Map<string, string>(
      manifest.files.map((f: { path: string; sha256: string }) => [f.path, f.sha256]),
    );
    const hfFiles = [...files.keys()].filter((name) => name.endsWith("metadata.jsonl") || name === "keypoints.json");
    expect(hfFiles.length).toBeGreaterThan(1);
    for (const name of hfFiles)
      expect(listed.get(name)).toBe(createHash("sha256").update(files.get(name)!).digest("hex"));
    expect(manifest.formats).toEqual(["coco", "hf"]);
  });

  it("writes no imagefolder files unless asked", async () => {
    const fixture = await labelledExportProject(2);
    const job = await requestExport(
      fixture.project.id,
      ZExportOptions.parse({ purpose: "research", formats: ["coco"] }),
      fixture.manager.id,
    );
    const { files } = await runQueuedExport(job.id);
    expect([...files.keys()].filter((n) => n.endsWith("metadata.jsonl") || n === "keypoints.json")).toEqual([]);
  });

  it("writes no metadata.jsonl into a split without images (datasets would see a split with no image)", async () => {
    const fixture = await labelledExportProject(3);
    const job = await requestExport(
      fixture.project.id,
      ZExportOptions.parse({ purpose: "research", formats: ["coco", "hf"], splits: { train: 1, val: 0, test: 0 } }),
      fixture.manager.id,
    );
    const { files } = await runQueuedExport(job.id);
    expect([...files.keys()].filter((n) => n.endsWith("metadata.jsonl"))).toEqual(["images/train/metadata.jsonl"]);
    expect(files.get("images/train/metadata.jsonl")!.toString().trim().split("\n")).toHaveLength(3);
  });

  it("refuses an unknown format, naming the field", () => {
    const parsed = ZExportOptions.safeParse({ purpose: "research", formats: ["coco", "parquet"] });
    expect(parsed.success).toBe(false);
    expect(parsed.error!.issues[0]!.path).toEqual(["formats", 1]);
  });
});
