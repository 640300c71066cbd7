// POST /api/images/{imageId}/blur-preview – the display copy with the fingertips of the given hands blurred, as an export would show it
import sharp from "sharp";
import { z } from "zod";
import { ZHand } from "@/lib/hand/schema";
import { parseJson, route } from "@/lib/server/http/route";
import { readImageForViewer } from "@/lib/server/images/serve-image";
import { blurRendition } from "@/lib/server/blur/blur-rendition";
import { db } from "@/lib/server/db";

const ZPreview = z.object({ hands: z.array(ZHand).max(12) });

export const POST = route<{ imageId: string }>(async (request, { params }) => {
  const { hands } = await parseJson(request, ZPreview);
  // The same authorisation as viewing the display copy.
  const { bytes } = await readImageForViewer(params.imageId, "display");
  const image = await db.image.findUniqueOrThrow({ where: { id: params.imageId }, select: { width: true, height: true } });
  const { width, height } = await sharp(bytes).metadata();
  const blurred = await blurRendition(bytes, { width: width!, height: height! }, image, hands);
  return new Response(new Uint8Array(blurred), { headers: { "content-type": "image/jpeg", "cache-control": "private, no-store" } });
});
