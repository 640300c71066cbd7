import "server-only";
import path from "node:path";
import { HF_METADATA_FILE, hfKeypointsJson, hfMetadataLine } from "@/lib/export/hf-imagefolder";
import { SPLITS, type Split } from "@/lib/export/splits";
import type { THand } from "@/lib/hand/schema";
import type { TExportItem } from "./select-export-items";
import type { TExportRun } from "./export-lease";
import type { createZipWriter } from "./zip-writer";

/**
 * Writes the Hugging Face imagefolder files of one export: `images/{split}/metadata.jsonl` beside each non-empty
 * split's images (streamed, one line per image) and `keypoints.json` at the root. An empty split gets no metadata
 * file: `datasets` would find a split with metadata but no image.
 */
export async function writeHfImagefolder(
  zip: Pick<ReturnType<typeof createZipWriter>, "stream" | "addBuffer">,
  items: readonly TExportItem[],
  of: {
    splitOf: ReadonlyMap<string, Split>;
    imageOf: ReadonlyMap<string, { width: number; height: number }>;
    handsOf: (item: TExportItem) => Promise<THand[]>;
    /** The image's path in the zip, e.g. images/train/abc.jpg. */
    fileName: (item: TExportItem) => string;
    run: Pick<TExportRun, "ensureOwned">;
  },
) {
  for (const split of SPLITS) {
    const inSplit = items.filter((item) => of.splitOf.get(item.subjectId) === split);
    if (!inSplit.length) continue;
    const entry = zip.stream(`images/${split}/${HF_METADATA_FILE}`);
    for (const item of inSplit) {
      of.run.ensureOwned();
      const line = hfMetadataLine(
        path.posix.basename(of.fileName(item)),
        of.imageOf.get(item.imageId)!,
        await of.handsOf(item),
      );
      await entry.write(line);
    }
    entry.end();
  }
  zip.addBuffer("keypoints.json", Buffer.from(hfKeypointsJson()));
}
