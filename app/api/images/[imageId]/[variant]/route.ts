// GET /api/images/{imageId}/{original|display|thumb} – an image rendition, authorised per request
import { z } from "zod";
import { AppError } from "@/lib/errors/app-error";
import { IMAGE_VARIANTS } from "@/lib/auth/image-access";
import { resourceRoute } from "@/lib/server/http/api-route";
import { projectImage } from "@/lib/server/auth/resource-guards";
import { readImageForViewer } from "@/lib/server/images/serve-image";

export const GET = resourceRoute<"imageId", { imageId: string; variant: string }>(projectImage, async ({ params, access }) => {
  const variant = z.enum(IMAGE_VARIANTS).safeParse(params.variant);
  if (!variant.success) throw new AppError("not_found", "Unknown image rendition");
  const { bytes, mimeType } = await readImageForViewer(access, params.imageId, variant.data);
  return new Response(new Uint8Array(bytes), {
    headers: {
      "content-type": mimeType,
      // Never cached by shared caches; originals not even by the browser.
      "cache-control": variant.data === "original" ? "private, no-store" : "private, max-age=300",
      "content-length": String(bytes.length),
    },
  });
});
