/** The quality flags of a whole annotation: per hand (stored on each hand) and flattened (on the annotation). */
import type { TAnnotationDoc } from "@/lib/annotate/schema";
import { z } from "zod";
import { anatomicalHandedness, landmarkToKeypoint, type TModelPrediction } from "@/lib/assist/mediapipe";
import { ZQualityFlag } from "./flag";
import { runQualityChecks, type TModelHand } from "./run-checks";
import type { TSkinMap } from "./skin";

/** A flag of one hand of the annotation, as stored in Annotation.qualityFlags. */
export const ZHandFlag = ZQualityFlag.extend({ hand: z.number().int().min(0) });
export type THandFlag = z.infer<typeof ZHandFlag>;

/**
 * The other signals an annotation carries beyond its labels: the model's prediction, read through its schema,
 * the image's skin map where the server read the pixels (lib/server/qc/skin-map.ts), and the network's hands.
 */
export type TAnnotationSignals = {
  modelPrediction?: TModelPrediction | null;
  skin?: TSkinMap | null;
  /** The hand-landmark network's hands, run at submit on hands without a view (lib/server/qc/network-model.ts). */
  network?: readonly TModelHand[];
};

/** A stored model prediction as the hands the model saw (anatomical sides, pixels of the original). */
export function modelHands(prediction: TModelPrediction | null | undefined): TModelHand[] {
  if (!prediction) return [];
  const mirrored = prediction.options.mirrored === true;
  return prediction.hands.map((h) => ({
    handedness: anatomicalHandedness(h.label, h.score, { mirrored }),
    score: h.score,
    keypoints: h.landmarks.map(([x, y]) => landmarkToKeypoint({ x, y }, prediction.image, { mirrored })),
  }));
}

export function annotationQualityFlags(
  doc: TAnnotationDoc,
  image: { width: number; height: number },
  signals: TAnnotationSignals = {},
) {
  const model = [...modelHands(signals.modelPrediction), ...(signals.network ?? [])];
  const perHand = doc.hands.map((hand, index) =>
    runQualityChecks(hand, {
      image,
      model,
      otherHands: doc.hands.filter((_, other) => other !== index),
      ...(signals.skin ? { skin: signals.skin } : {}),
    }),
  );
  const all: THandFlag[] = perHand.flatMap((flags, hand) => flags.map((flag) => ({ ...flag, hand })));
  return { perHand, all };
}
