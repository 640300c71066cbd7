// GET /api/annotations/{annotationId} – the editor payload; PUT – save the labels (409 with `current` on a stale version)
import { NextResponse } from "next/server";
import { ZSaveAnnotation } from "@/lib/annotate/schema";
import { parseJson, route } from "@/lib/server/http/route";
import { jsonOrConflict } from "@/lib/server/annotations/annotation-conflict";
import { getAnnotationForEditor } from "@/lib/server/annotations/get-annotation-for-editor";
import { requireOwnAnnotation } from "@/lib/server/annotations/authorize-annotation";
import { saveAnnotation } from "@/lib/server/annotations/save-annotation";

type TParams = { annotationId: string };

export const GET = route<TParams>(async (_request, { params }) => {
  const { user } = await requireOwnAnnotation(params.annotationId);
  return NextResponse.json(await getAnnotationForEditor(params.annotationId, user.id));
});

export const PUT = route<TParams>(async (request, { params }) => {
  const { user } = await requireOwnAnnotation(params.annotationId);
  const input = await parseJson(request, ZSaveAnnotation);
  return jsonOrConflict(() => saveAnnotation(params.annotationId, user.id, input));
});
