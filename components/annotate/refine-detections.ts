import { regionPredictionHand } from "@/lib/assist/proposal";
import { resultToHand, type TBox, type TRegionResult } from "@/lib/assist/region";
import { suggestView } from "@/lib/assist/view";
import type { TModelPrediction } from "@/lib/assist/mediapipe";
import type { THand } from "@/lib/hand/schema";
import type { TImageSize } from "@/lib/images/image-size";

type TLabel = (src: string, size: TImageSize, box: TBox) => Promise<TRegionResult | null>;

/**
 * Each hand the automatic detector found, re-run through region assist on its box (the workspace's Detect and
 * batch pre-annotation): confident results replace the detector's joints (its handedness kept where the
 * network is unsure); every run is returned as a proposal to store.
 */
export async function refineDetections(
  label: TLabel,
  src: string,
  image: TImageSize,
  hands: readonly THand[],
): Promise<{ hands: THand[]; proposals: TModelPrediction["hands"]; refined: number; ms: number }> {
  const out: THand[] = [];
  const proposals: TModelPrediction["hands"] = [];
  let refined = 0;
  let ms = 0;
  for (const hand of hands) {
    const result = hand.bbox && hand.bbox.width > 0 && hand.bbox.height > 0 ? await label(src, image, hand.bbox) : null;
    if (result) {
      proposals.push(regionPredictionHand(result, image));
      ms += result.ms;
    }
    if (!result?.confident) {
      out.push(hand);
      continue;
    }
    const better = resultToHand(result, image);
    const handedness = better.handedness === "unknown" ? hand.handedness : better.handedness;
    out.push({ ...better, handedness, view: better.view ?? suggestView(better, handedness) });
    refined++;
  }
  return { hands: out, proposals, refined, ms };
}
