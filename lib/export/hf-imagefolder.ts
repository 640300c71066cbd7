/**
 * Hugging Face `imagefolder` layout: `images/{split}/metadata.jsonl` beside the split's images, one JSON line per
 * image, so `datasets.load_dataset("imagefolder", data_dir="images")` loads the export as is (train / val / test
 * become the splits; `file_name` is relative to the folder holding metadata.jsonl).
 *
 * Each hand is the COCO annotation of the same image reshaped (handToCocoAnnotation: same rounding, same v mapping,
 * same clipped box), so the two formats cannot disagree. Every hand has the same fields with the same types, and
 * keypoints are 21 × [x, y, v] numbers, so `datasets` can infer one nested feature type; a split whose values lack
 * variety (say, no gesture at all) infers other types, hence the explicit `features` in the README's snippet.
 */
import { handToCocoAnnotation } from "@/lib/export/coco";
import type { THand } from "@/lib/hand/schema";
import { BONES, JOINT_COUNT, JOINT_NAMES, STATE_OF_COCO_VISIBILITY } from "@/lib/hand/skeleton";

export interface HfHand {
  handedness: THand["handedness"];
  gesture: string | null;
  view: THand["view"];
  /** 21 × [x, y, v] in pixels; v as COCO (2 visible, 1 occluded, 0 absent with x = y = 0). */
  keypoints: [number, number, number][];
  /** [x, y, width, height] in pixels, as the COCO annotation's bbox. */
  bbox: [number, number, number, number];
}

export interface HfMetadataRow {
  file_name: string;
  width: number;
  height: number;
  hands: HfHand[];
}

export const HF_METADATA_FILE = "metadata.jsonl";

/** One image's metadata row. `fileName` is relative to the split folder (e.g. "abc.jpg"), never a path into it. */
export function hfMetadataRow(fileName: string, image: { width: number; height: number }, hands: readonly THand[]) {
  if (!fileName || fileName.includes("/"))
    throw new RangeError(`file_name must be a bare file name, got "${fileName}"`);
  const row: HfMetadataRow = {
    file_name: fileName,
    width: image.width,
    height: image.height,
    hands: hands.map((hand) => {
      const ann = handToCocoAnnotation(hand, { id: 0, image_id: 0 }, image);
      const keypoints: [number, number, number][] = [];
      for (let j = 0; j < JOINT_COUNT; j++)
        keypoints.push([ann.keypoints[3 * j]!, ann.keypoints[3 * j + 1]!, ann.keypoints[3 * j + 2]!]);
      return { handedness: ann.handedness, gesture: ann.gesture, view: ann.view, keypoints, bbox: ann.bbox };
    }),
  };
  return row;
}

/** The row as one line of metadata.jsonl (newline included). */
export function hfMetadataLine(fileName: string, image: { width: number; height: number }, hands: readonly THand[]) {
  return JSON.stringify(hfMetadataRow(fileName, image, hands)) + "\n";
}

/** What the keypoint lists mean, written once as `keypoints.json` at the export root. */
export function hfKeypointsJson(): string {
  return (
    JSON.stringify(
      {
        keypoints: [...JOINT_NAMES],
        // 0-based joint index pairs (the skeleton in annotations/*.json is COCO's 1-based one).
        skeleton: BONES.map(([a, b]) => [a, b]),
        // v → state; an absent joint is written 0, 0, 0.
        visibility: STATE_OF_COCO_VISIBILITY,
        layout: "images/{train,val,test}/metadata.jsonl: file_name, width, height, hands[].keypoints[21][x, y, v]",
      },
      null,
      2,
    ) + "\n"
  );
}
