import "server-only";
import type { THand } from "@/lib/hand/schema";
import { rescaleHand } from "@/lib/annotate/hand-ops";
import { blurFingertips } from "./blur-fingertips";

/**
 * Blurs the fingertips of a downscaled rendition (display copy or thumbnail): the hands are labelled
 * in original pixels, so they are scaled to the rendition first. The caller read the rendition's size, so the
 * blur does not read it again.
 */
export async function blurRendition(
  bytes: Buffer,
  rendition: { width: number; height: number },
  original: { width: number; height: number },
  hands: readonly THand[],
) {
  const scaled = hands.map((hand) => rescaleHand(hand, original, rendition));
  return (await blurFingertips(bytes, scaled, { size: rendition })).jpeg;
}
