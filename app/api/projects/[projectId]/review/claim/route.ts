// POST /api/projects/{projectId}/review/claim – the next annotation to review (never one's own); reviewId null when none waits
import { NextResponse } from "next/server";
import { requireProjectPermission } from "@/lib/server/auth/authorize";
import { z } from "zod";
import { parseJson, route } from "@/lib/server/http/route";
import { claimNextReview } from "@/lib/server/review/claim-next-review";

// With { annotationId } in the body: that annotation (from the adjudication queue) rather than the next one.
const ZClaimReview = z.object({ annotationId: z.string().min(1).optional() });

export const POST = route<{ projectId: string }>(async (request, { params }) => {
  const { user } = await requireProjectPermission(params.projectId, "qc.review");
  const hasBody = Number(request.headers.get("content-length") ?? 0) > 0;
  const { annotationId } = hasBody ? await parseJson(request, ZClaimReview) : {};
  return NextResponse.json(await claimNextReview(params.projectId, user.id, new Date(), annotationId ? { annotationId } : undefined));
});
