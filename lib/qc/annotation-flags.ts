/** The quality flags of a whole annotation: per hand (stored on each hand) and flattened (on the annotation). */
import type { TAnnotationDoc } from "@/lib/annotate/schema";
import { z } from "zod";
import { ZQualityFlag } from "./flag";
import { runQualityChecks } from "./run-checks";

/** A flag of one hand of the annotation, as stored in Annotation.qualityFlags. */
export const ZHandFlag = ZQualityFlag.extend({ hand: z.number().int().min(0) });
export type THandFlag = z.infer<typeof ZHandFlag>;

export function annotationQualityFlags(doc: TAnnotationDoc, image: { width: number; height: number }) {
  const perHand = doc.hands.map((hand, index) => runQualityChecks(hand, { image, otherHands: doc.hands.filter((_, other) => other !== index) }));
  const all: THandFlag[] = perHand.flatMap((flags, hand) => flags.map((flag) => ({ ...flag, hand })));
  return { perHand, all };
}
