// POST /api/projects/{projectId}/queue/claim – the next image to label (or the draft you already hold); annotationId null when none waits
import { NextResponse } from "next/server";
import { projectRoute } from "@/lib/server/http/api-route";
import { claimNextImage } from "@/lib/server/queue/claim-next-image";

export const POST = projectRoute({ permission: "annotations.write" }, async ({ params, access }) => {
  return NextResponse.json(await claimNextImage(params.projectId, access.user.id));
});
