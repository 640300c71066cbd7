// POST /api/projects/{projectId}/gold – mark or unmark an accepted annotation as gold (managers)
import { NextResponse } from "next/server";
import { z } from "zod";
import { projectRoute } from "@/lib/server/http/api-route";
import { parseJson } from "@/lib/server/http/route";
import { setGold } from "@/lib/server/gold/gold";

const ZSetGold = z.object({ annotationId: z.string().min(1), isGold: z.boolean() });

export const POST = projectRoute({ permission: "project.manage" }, async ({ request, params, access }) => {
  const { annotationId, isGold } = await parseJson(request, ZSetGold);
  await setGold(params.projectId, annotationId, isGold, access.user.id);
  return NextResponse.json({ ok: true });
});
