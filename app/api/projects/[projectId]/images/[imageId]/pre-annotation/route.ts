// PUT /api/projects/{projectId}/images/{imageId}/pre-annotation – store proposed hands (e.g. the model's) that new claims start from (managers)
import { NextResponse } from "next/server";
import { ZPreAnnotation } from "@/lib/images/pre-annotation";
import { projectRoute } from "@/lib/server/http/api-route";
import { parseJson } from "@/lib/server/http/route";
import { storePreAnnotation } from "@/lib/server/images/store-pre-annotation";

export const PUT = projectRoute<{ projectId: string; imageId: string }>(
  { permission: "images.upload" },
  async ({ request, params }) => {
    const proposal = await parseJson(request, ZPreAnnotation);
    await storePreAnnotation(params.projectId, params.imageId, proposal);
    return NextResponse.json({ ok: true, hands: proposal.hands.length });
  },
);
