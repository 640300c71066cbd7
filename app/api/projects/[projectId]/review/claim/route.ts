// POST /api/projects/{projectId}/review/claim – the next annotation to review (never one's own); reviewId null when none waits
import { NextResponse } from "next/server";
import { z } from "zod";
import { projectRoute } from "@/lib/server/http/api-route";
import { parseJson } from "@/lib/server/http/route";
import { claimNextReview } from "@/lib/server/review/claim-next-review";

// With { annotationId } in the body: that annotation (from the adjudication queue) rather than the next one.
// With { skip } (the reviewer's "Next"): any but these annotations.
const ZClaimReview = z.object({
  annotationId: z.string().min(1).optional(),
  skip: z.array(z.string().min(1).max(64)).max(200).optional(),
});

export const POST = projectRoute({ permission: "qc.review" }, async ({ request, params, access }) => {
  const hasBody = Number(request.headers.get("content-length") ?? 0) > 0;
  const { annotationId, skip } = hasBody ? await parseJson(request, ZClaimReview) : {};
  return NextResponse.json(
    await claimNextReview(
      params.projectId,
      access.user.id,
      new Date(),
      annotationId ? { annotationId } : undefined,
      skip ?? [],
    ),
  );
});
