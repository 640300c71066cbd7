// POST /api/projects/{projectId}/exports/{exportId}/rebuild – queue a revoked export again, minus withdrawn subjects (managers)
import { NextResponse } from "next/server";
import { projectRoute } from "@/lib/server/http/api-route";
import { rebuildExport } from "@/lib/server/export/rebuild-export";

export const POST = projectRoute<{ projectId: string; exportId: string }>(
  { permission: "exports.create" },
  async ({ params, access }) =>
    NextResponse.json(
      { export: await rebuildExport(params.projectId, params.exportId, access.user.id) },
      { status: 202 },
    ),
);
