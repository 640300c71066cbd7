// POST /api/reviews/{reviewId}/release – pass on an open review ("Next"): the annotation waits for review again
import { NextResponse } from "next/server";
import { ownReview } from "@/lib/server/auth/resource-guards";
import { resourceRoute } from "@/lib/server/http/api-route";
import { releaseReview } from "@/lib/server/review/release-review";

export const POST = resourceRoute(ownReview, async ({ params, access }) =>
  NextResponse.json(await releaseReview(params.reviewId, access.user.id)),
);
