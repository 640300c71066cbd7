// POST /api/images/{imageId}/blur-preview – the display copy with the fingertips of the given hands blurred, as an export would show it
import { z } from "zod";
import { ZHand } from "@/lib/hand/schema";
import { resourceRoute } from "@/lib/server/http/api-route";
import { parseJson } from "@/lib/server/http/route";
import { projectImage } from "@/lib/server/auth/resource-guards";
import { blurPreviewForViewer } from "@/lib/server/images/blur-preview";

const ZPreview = z.object({ hands: z.array(ZHand).max(12) });

export const POST = resourceRoute(projectImage, async ({ request, params, access }) => {
  const { hands } = await parseJson(request, ZPreview);
  const blurred = await blurPreviewForViewer(access, params.imageId, hands);
  return new Response(new Uint8Array(blurred), {
    headers: { "content-type": "image/jpeg", "cache-control": "private, no-store" },
  });
});
