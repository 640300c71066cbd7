// POST /api/projects/{projectId}/exports/{exportId}/rebuild – queue a revoked export again, minus withdrawn subjects (managers)
import { NextResponse } from "next/server";
import { requireProjectPermission } from "@/lib/server/auth/authorize";
import { route } from "@/lib/server/http/route";
import { rebuildExport } from "@/lib/server/export/rebuild-export";

export const POST = route<{ projectId: string; exportId: string }>(async (_request, { params }) => {
  const { user } = await requireProjectPermission(params.projectId, "exports.create");
  return NextResponse.json({ export: await rebuildExport(params.projectId, params.exportId, user.id) }, { status: 202 });
});
