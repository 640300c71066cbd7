/**
 * The 12 labelled sample photos of ../shared/hands-sample (not in the repository because of their
 * licences) as hands, for QC tests and the planted-error benchmark. Null when the folder is absent.
 *
 * v 1 ("labelled" — these sources do not tell visible from occluded) is loaded the way a COCO import
 * stores it, as `occluded`, unless `labelledAs` says otherwise; v 0 is absent. Handedness as given
 * (OneHand10K: unknown). View: from the `pose` text where it states one ("dorsal view", "palm view";
 * copies described as "same pose/keypoints as X" inherit X's), else unknown.
 */
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import type { THand, THandView, TKeypoint } from "@/lib/hand/schema";
import { handFromKeypoints } from "./synthetic-hands";

export const SAMPLE_FOLDER = path.resolve(process.cwd(), "../shared/hands-sample");
export const SAMPLE_LABELS = path.join(SAMPLE_FOLDER, "labels.json");

type TEntry = {
  file: string;
  width: number;
  height: number;
  pose: string;
  hands: { handedness: string | null; keypoints: [number, number, number][] }[];
};
export type TSampleHand = { file: string; image: { width: number; height: number }; hand: THand };

function viewFromPose(entry: TEntry, all: TEntry[]): THandView | null {
  const copyOf = /same pose\/keypoints as (\S+?),/.exec(entry.pose)?.[1];
  const pose = copyOf ? (all.find((e) => e.file.startsWith(copyOf))?.pose ?? entry.pose) : entry.pose;
  if (/dorsal view/.test(pose)) return "back";
  if (/palm view/.test(pose)) return "palm";
  return null;
}

export function loadSampleHands(
  options: { labelledAs?: "visible" | "occluded"; withViews?: boolean } = {},
): TSampleHand[] | null {
  if (!existsSync(SAMPLE_LABELS)) return null;
  const { labelledAs = "occluded", withViews = true } = options;
  const entries = JSON.parse(readFileSync(SAMPLE_LABELS, "utf8")) as TEntry[];
  return entries.flatMap((entry) =>
    entry.hands.map((h) => {
      const keypoints: TKeypoint[] = h.keypoints.map(([x, y, v]) =>
        v > 0 ? { x, y, state: v === 2 ? ("visible" as const) : labelledAs } : { x: 0, y: 0, state: "absent" as const },
      );
      const handedness = h.handedness === "left" || h.handedness === "right" ? h.handedness : "unknown";
      const hand = handFromKeypoints(keypoints, handedness, withViews ? viewFromPose(entry, entries) : null);
      return { file: entry.file, image: { width: entry.width, height: entry.height }, hand };
    }),
  );
}
