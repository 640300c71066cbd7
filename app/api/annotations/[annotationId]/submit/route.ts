// POST /api/annotations/{annotationId}/submit – hand in the saved labels for review ({ version }); 400 lists what is missing
import { parseJson, route } from "@/lib/server/http/route";
import { jsonOrConflict } from "@/lib/server/annotations/annotation-conflict";
import { requireOwnAnnotation } from "@/lib/server/annotations/authorize-annotation";
import { submitAnnotation, ZSubmitAnnotation } from "@/lib/server/annotations/submit-annotation";

export const POST = route<{ annotationId: string }>(async (request, { params }) => {
  const { user } = await requireOwnAnnotation(params.annotationId);
  const input = await parseJson(request, ZSubmitAnnotation);
  return jsonOrConflict(() => submitAnnotation(params.annotationId, user.id, input));
});
