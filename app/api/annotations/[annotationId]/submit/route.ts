// POST /api/annotations/{annotationId}/submit – hand in the saved labels for review ({ version }); 400 lists what is missing
import { ZSubmitAnnotation } from "@/lib/annotate/schema";
import { resourceRoute } from "@/lib/server/http/api-route";
import { parseJson } from "@/lib/server/http/route";
import { ownAnnotation } from "@/lib/server/auth/resource-guards";
import { jsonOrConflict } from "@/lib/server/annotations/annotation-conflict";
import { submitAnnotation } from "@/lib/server/annotations/submit-annotation";

export const POST = resourceRoute(ownAnnotation, async ({ request, params, access }) => {
  const input = await parseJson(request, ZSubmitAnnotation);
  return jsonOrConflict(() => submitAnnotation(params.annotationId, access.user.id, input));
});
