// GET /api/annotations/{annotationId}/previous-hands – hands of your latest other annotation of the same subject, to copy
import { NextResponse } from "next/server";
import { resourceRoute } from "@/lib/server/http/api-route";
import { ownAnnotation } from "@/lib/server/auth/resource-guards";
import { previousHandsOfSubject } from "@/lib/server/annotations/find-previous-hands";

export const GET = resourceRoute(ownAnnotation, async ({ params, access }) => {
  return NextResponse.json(await previousHandsOfSubject(params.annotationId, access.user.id));
});
