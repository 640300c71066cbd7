// POST /api/annotations/{annotationId}/issues – the annotator answers a reviewer's issue on their annotation
import { NextResponse } from "next/server";
import { ZIssueReply } from "@/lib/review/issues";
import { ownAnnotation } from "@/lib/server/auth/resource-guards";
import { resourceRoute } from "@/lib/server/http/api-route";
import { parseJson } from "@/lib/server/http/route";
import { replyAsAnnotator } from "@/lib/server/review/issues";

export const POST = resourceRoute(ownAnnotation, async ({ request, params, access }) => {
  const { pinId, body } = await parseJson(request, ZIssueReply);
  return NextResponse.json({ issue: await replyAsAnnotator(params.annotationId, access.user.id, pinId, body) });
});
