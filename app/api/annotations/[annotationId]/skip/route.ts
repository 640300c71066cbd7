// POST /api/annotations/{annotationId}/skip – give a claimed image back, with a reason ({ reason })
import { NextResponse } from "next/server";
import { ZSkipAnnotation } from "@/lib/annotate/schema";
import { parseJson, route } from "@/lib/server/http/route";
import { requireOwnAnnotation } from "@/lib/server/annotations/authorize-annotation";
import { skipAnnotation } from "@/lib/server/annotations/skip-annotation";

export const POST = route<{ annotationId: string }>(async (request, { params }) => {
  const { user } = await requireOwnAnnotation(params.annotationId);
  const input = await parseJson(request, ZSkipAnnotation);
  return NextResponse.json(await skipAnnotation(params.annotationId, user.id, input));
});
