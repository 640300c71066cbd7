/** The quality flags of a whole annotation: per hand (stored on each hand) and flattened (on the annotation). */
import type { TAnnotationDoc } from "@/lib/annotate/schema";
import { z } from "zod";
import { anatomicalHandedness, landmarkToKeypoint } from "@/lib/assist/mediapipe";
import type { TQualityFlag } from "./flag";
import { runQualityChecks, type TModelHand } from "./run-checks";

export type THandFlag = TQualityFlag & { hand: number };

/** The other signals an annotation carries beyond its labels (the prediction as stored: any JSON, checked here). */
export type TAnnotationSignals = { modelPrediction?: unknown };

/** The part of a stored model prediction (lib/assist/mediapipe.ts TModelPrediction) the checks read. */
const ZStoredPrediction = z.object({
  image: z.object({ width: z.number().positive(), height: z.number().positive() }),
  options: z.record(z.string(), z.unknown()).optional(),
  hands: z.array(z.object({ label: z.string(), score: z.number(), landmarks: z.array(z.array(z.number()).min(2)) })),
});

/** A stored model prediction as the hands the model saw (anatomical sides, pixels of the original); [] when unusable. */
export function modelHands(stored: unknown): TModelHand[] {
  const parsed = ZStoredPrediction.safeParse(stored);
  if (!parsed.success) return [];
  const prediction = parsed.data;
  const mirrored = prediction.options?.mirrored === true;
  return prediction.hands.map((h) => ({
    handedness: anatomicalHandedness(h.label, h.score, { mirrored }),
    score: h.score,
    keypoints: h.landmarks.map(([x, y]) => landmarkToKeypoint({ x, y }, prediction.image, { mirrored })),
  }));
}

export function annotationQualityFlags(doc: TAnnotationDoc, image: { width: number; height: number }, signals: TAnnotationSignals = {}) {
  const model = modelHands(signals.modelPrediction);
  const perHand = doc.hands.map((hand, index) => runQualityChecks(hand, { image, model, otherHands: doc.hands.filter((_, other) => other !== index) }));
  const all: THandFlag[] = perHand.flatMap((flags, hand) => flags.map((flag) => ({ ...flag, hand })));
  return { perHand, all };
}
