// POST /api/reviews/{reviewId}/decide – accept, reject (comment and pins) or fix and accept
import { NextResponse } from "next/server";
import { ZReviewDecision } from "@/lib/review/schema";
import { parseJson, route } from "@/lib/server/http/route";
import { decideReview } from "@/lib/server/review/decide-review";
import { requireOwnReview } from "@/lib/server/review/load-review";

export const POST = route<{ reviewId: string }>(async (request, { params }) => {
  const { user } = await requireOwnReview(params.reviewId);
  const decision = await parseJson(request, ZReviewDecision);
  return NextResponse.json(await decideReview(params.reviewId, user.id, decision));
});
