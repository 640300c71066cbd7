// POST /api/projects/{projectId}/sigmas – adopt per-joint OKS sigmas (21 numbers), or null for COCO-WholeBody's (managers)
import { NextResponse } from "next/server";
import { z } from "zod";
import { projectRoute } from "@/lib/server/http/api-route";
import { parseJson } from "@/lib/server/http/route";
import { setProjectSigmas, ZSigmas } from "@/lib/server/gold/project-sigmas";

const ZSetSigmas = z.object({ sigmas: ZSigmas.nullable() });

export const POST = projectRoute({ permission: "project.manage" }, async ({ request, params, access }) => {
  const { sigmas } = await parseJson(request, ZSetSigmas);
  await setProjectSigmas(params.projectId, sigmas, access.user.id);
  return NextResponse.json({ ok: true });
});
