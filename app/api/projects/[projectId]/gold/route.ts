// POST /api/projects/{projectId}/gold – mark or unmark an accepted annotation as gold (managers)
import { NextResponse } from "next/server";
import { z } from "zod";
import { requireProjectPermission } from "@/lib/server/auth/authorize";
import { parseJson, route } from "@/lib/server/http/route";
import { setGold } from "@/lib/server/gold/gold";

const ZSetGold = z.object({ annotationId: z.string().min(1), isGold: z.boolean() });

export const POST = route<{ projectId: string }>(async (request, { params }) => {
  const { user } = await requireProjectPermission(params.projectId, "project.manage");
  const { annotationId, isGold } = await parseJson(request, ZSetGold);
  await setGold(params.projectId, annotationId, isGold, user.id);
  return NextResponse.json({ ok: true });
});
