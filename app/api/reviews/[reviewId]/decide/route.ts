// POST /api/reviews/{reviewId}/decide – accept, reject (comment and pins) or fix and accept
import { NextResponse } from "next/server";
import { ZReviewDecision } from "@/lib/review/schema";
import { resourceRoute } from "@/lib/server/http/api-route";
import { parseJson } from "@/lib/server/http/route";
import { ownReview } from "@/lib/server/auth/resource-guards";
import { decideReview } from "@/lib/server/review/decide-review";

export const POST = resourceRoute(ownReview, async ({ request, params, access }) => {
  const decision = await parseJson(request, ZReviewDecision);
  return NextResponse.json(await decideReview(params.reviewId, access.user.id, decision));
});
