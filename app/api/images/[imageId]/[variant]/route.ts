// GET /api/images/{imageId}/{original|display|thumb} – an image rendition, authorised per request
import { z } from "zod";
import { AppError } from "@/lib/errors/app-error";
import { IMAGE_VARIANTS } from "@/lib/auth/image-access";
import { resourceRoute } from "@/lib/server/http/api-route";
import { projectImage } from "@/lib/server/auth/resource-guards";
import { CONSENT_BOUND_NO_STORE } from "@/lib/server/http/route";
import { readImageForViewer } from "@/lib/server/images/serve-image";

export const GET = resourceRoute<"imageId", { imageId: string; variant: string }>(
  projectImage,
  async ({ params, access }) => {
    const variant = z.enum(IMAGE_VARIANTS).safeParse(params.variant);
    if (!variant.success) throw new AppError("not_found", "Unknown image rendition");
    const { bytes, mimeType } = await readImageForViewer(access, params.imageId, variant.data);
    return new Response(new Uint8Array(bytes), {
      headers: {
        "content-type": mimeType,
        // Never cached, not even by the browser: a withdrawal must reach every copy (DESIGN §3 rule 1).
        "cache-control": CONSENT_BOUND_NO_STORE,
        "content-length": String(bytes.length),
      },
    });
  },
);
