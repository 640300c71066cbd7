import "server-only";
/**
 * The hand-landmark network on the server (lib/qc/network-model.ts says why): loaded once per process from the
 * committed model files with TensorFlow.js's wasm backend (lib/assist/landmark-runner-node.ts, as the bench
 * runs it), fed the image's display rendition. Returns the network's hands for the hands that need one; an
 * empty list when none does, the image has no rendition left, or the network cannot load (the left/right check
 * then has no model signal for those hands, as before, and the failure is logged once).
 * PHALANX_QC_NETWORK=0 turns it off (a deployment without the model files).
 */
import sharp from "sharp";
import type { THand } from "@/lib/hand/schema";
import type { TPixels } from "@/lib/assist/region";
import type { TLoadedNet } from "@/lib/assist/landmark-runner";
import { handsNeedingNetwork, networkModelHand } from "@/lib/qc/network-model";
import type { TModelHand } from "@/lib/qc/run-checks";
import { db } from "@/lib/server/db";
import { storage } from "@/lib/server/storage/storage";

let loaded: Promise<TLoadedNet | null> | null = null;

function landmarkNet(): Promise<TLoadedNet | null> {
  loaded ??= import("@/lib/assist/landmark-runner-node")
    .then(({ loadLandmarkNetFromDisk }) => loadLandmarkNetFromDisk(process.cwd()))
    .catch((error: unknown) => {
      console.warn(`[qc] the hand-landmark network did not load; left/right without a view goes unchecked: ${error}`);
      return null;
    });
  return loaded;
}

/**
 * Per hand of `hands`: the network's model hand where it was run and saw a hand (in original pixels), else
 * nothing. `model`: the hands of the stored prediction (a hand one of them names a side for is skipped).
 */
export async function networkModelHands(
  imageId: string,
  hands: readonly THand[],
  model: readonly TModelHand[],
): Promise<TModelHand[]> {
  if (process.env.PHALANX_QC_NETWORK === "0") return [];
  const needing = handsNeedingNetwork(hands, model);
  if (needing.length === 0) return [];
  const image = await db.image.findUnique({
    where: { id: imageId },
    select: { width: true, height: true, displayKey: true },
  });
  if (!image?.displayKey) return [];
  let pixels: TPixels;
  try {
    const { data, info } = await sharp(await storage().get(image.displayKey))
      .removeAlpha()
      .toColourspace("srgb")
      .raw()
      .toBuffer({ resolveWithObject: true });
    pixels = { data, width: info.width, height: info.height, channels: 3 };
  } catch {
    return [];
  }
  const net = await landmarkNet();
  if (!net) return [];
  const size = { width: image.width, height: image.height };
  const found: TModelHand[] = [];
  for (const index of needing) {
    const seen = await networkModelHand(net, pixels, pixels.width / image.width, hands[index]!, size);
    if (seen) found.push(seen);
  }
  return found;
}
