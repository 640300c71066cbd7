import "server-only";
import sharp from "sharp";
import type { THand } from "@/lib/hand/schema";
import type { TProjectAccess } from "@/lib/server/auth/authorize";
import { blurRendition } from "@/lib/server/blur/blur-rendition";
import { readImageForViewer } from "./serve-image";

/** The display copy with the fingertips of `hands` blurred, as an export would show it; the same access as viewing it. */
export async function blurPreviewForViewer(access: TProjectAccess, imageId: string, hands: THand[]): Promise<Buffer> {
  const { bytes, image } = await readImageForViewer(access, imageId, "display");
  const { width, height } = await sharp(bytes).metadata();
  return blurRendition(bytes, { width: width!, height: height! }, image, hands);
}
