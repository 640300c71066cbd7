// GET /api/annotations/{annotationId}/previous-hands – hands of your latest other annotation of the same subject, to copy
import { NextResponse } from "next/server";
import { route } from "@/lib/server/http/route";
import { previousHandsOfSubject } from "@/lib/server/annotations/find-previous-hands";
import { requireOwnAnnotation } from "@/lib/server/annotations/authorize-annotation";

export const GET = route<{ annotationId: string }>(async (_request, { params }) => {
  const { user } = await requireOwnAnnotation(params.annotationId);
  return NextResponse.json(await previousHandsOfSubject(params.annotationId, user.id));
});
