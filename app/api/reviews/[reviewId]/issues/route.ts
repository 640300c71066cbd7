// POST /api/reviews/{reviewId}/issues – in an open review, reply to, resolve or reopen an earlier round's issue
import { NextResponse } from "next/server";
import { ZIssueAction } from "@/lib/review/issues";
import { ownReview } from "@/lib/server/auth/resource-guards";
import { resourceRoute } from "@/lib/server/http/api-route";
import { parseJson } from "@/lib/server/http/route";
import { actOnIssueAsReviewer } from "@/lib/server/review/issues";

export const POST = resourceRoute(ownReview, async ({ request, params, access }) => {
  const action = await parseJson(request, ZIssueAction);
  return NextResponse.json({ issue: await actOnIssueAsReviewer(params.reviewId, access.user.id, action) });
});
