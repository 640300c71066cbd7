// POST /api/projects/{projectId}/queue/claim – the next image to label (or the draft you already hold); annotationId null when none waits
import { NextResponse } from "next/server";
import { requireProjectPermission } from "@/lib/server/auth/authorize";
import { route } from "@/lib/server/http/route";
import { claimNextImage } from "@/lib/server/queue/claim-next-image";

export const POST = route<{ projectId: string }>(async (_request, { params }) => {
  const { user } = await requireProjectPermission(params.projectId, "annotations.write");
  return NextResponse.json(await claimNextImage(params.projectId, user.id));
});
