// POST /api/annotations/{annotationId}/skip – give a claimed image back, with a reason ({ reason })
import { NextResponse } from "next/server";
import { ZSkipAnnotation } from "@/lib/annotate/schema";
import { resourceRoute } from "@/lib/server/http/api-route";
import { parseJson } from "@/lib/server/http/route";
import { ownAnnotation } from "@/lib/server/auth/resource-guards";
import { skipAnnotation } from "@/lib/server/annotations/skip-annotation";

export const POST = resourceRoute(ownAnnotation, async ({ request, params, access }) => {
  const input = await parseJson(request, ZSkipAnnotation);
  return NextResponse.json(await skipAnnotation(params.annotationId, access.user.id, input));
});
