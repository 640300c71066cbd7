// GET /api/annotations/{annotationId} – the editor payload; PUT – save the labels (409 with `current` on a stale version)
import { NextResponse } from "next/server";
import { ZSaveAnnotation } from "@/lib/annotate/schema";
import { resourceRoute } from "@/lib/server/http/api-route";
import { parseJson } from "@/lib/server/http/route";
import { ownAnnotation } from "@/lib/server/auth/resource-guards";
import { jsonOrConflict } from "@/lib/server/annotations/annotation-conflict";
import { getAnnotationForEditor } from "@/lib/server/annotations/get-annotation-for-editor";
import { saveAnnotation } from "@/lib/server/annotations/save-annotation";

export const GET = resourceRoute(ownAnnotation, async ({ params, access }) => {
  return NextResponse.json(await getAnnotationForEditor(params.annotationId, access.user.id));
});

export const PUT = resourceRoute(ownAnnotation, async ({ request, params, access }) => {
  const input = await parseJson(request, ZSaveAnnotation);
  return jsonOrConflict(() => saveAnnotation(params.annotationId, access.user.id, input));
});
