/** Deterministic hands for the export/import tests (not used by production code). */
import { ZHand, type THand, type THandInput } from "@/lib/hand/schema";
import { JOINT_COUNT } from "@/lib/hand/skeleton";

/** A plausible open hand around (cx, cy); joints listed in `occluded` / `absent` get that state. */
export function makeHand(
  opts: {
    cx?: number;
    cy?: number;
    occluded?: number[];
    absent?: number[];
    overrides?: Partial<THandInput>;
    jitter?: number;
  } = {},
): THand {
  const { cx = 200, cy = 200, occluded = [], absent = [], jitter = 0 } = opts;
  const keypoints = Array.from({ length: JOINT_COUNT }, (_, i) => {
    const finger = i === 0 ? 0 : Math.floor((i - 1) / 4);
    const along = i === 0 ? 0 : ((i - 1) % 4) + 1;
    const state = absent.includes(i) ? "absent" : occluded.includes(i) ? "occluded" : "visible";
    return {
      x: cx + (finger - 2) * 12.3456 + (i === 0 ? 0 : along * 1.111) + jitter,
      y: cy + 40 - along * 17.777 - (i === 0 ? 0 : 5) + jitter / 2,
      state: state as "visible" | "occluded" | "absent",
    };
  });
  return ZHand.parse({
    handedness: "right",
    keypoints,
    bbox: null,
    gesture: "open_palm",
    view: "palm",
    skinTone: null,
    ...opts.overrides,
  });
}
