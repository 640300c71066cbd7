// POST /api/projects/{projectId}/review/claim – the next annotation to review (never one's own); reviewId null when none waits
import { NextResponse } from "next/server";
import { requireProjectPermission } from "@/lib/server/auth/authorize";
import { route } from "@/lib/server/http/route";
import { claimNextReview } from "@/lib/server/review/claim-next-review";

export const POST = route<{ projectId: string }>(async (_request, { params }) => {
  const { user } = await requireProjectPermission(params.projectId, "qc.review");
  return NextResponse.json(await claimNextReview(params.projectId, user.id));
});
