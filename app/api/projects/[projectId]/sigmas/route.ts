// POST /api/projects/{projectId}/sigmas – adopt per-joint OKS sigmas (21 numbers), or null for COCO-WholeBody's (managers)
import { NextResponse } from "next/server";
import { z } from "zod";
import { requireProjectPermission } from "@/lib/server/auth/authorize";
import { parseJson, route } from "@/lib/server/http/route";
import { db } from "@/lib/server/db";
import { recordAuditEvent } from "@/lib/server/audit/record-audit-event";
import { ZSigmas } from "@/lib/server/gold/project-sigmas";
import { DbNull } from "@/lib/server/db/open";

const ZSetSigmas = z.object({ sigmas: ZSigmas.nullable() });

export const POST = route<{ projectId: string }>(async (request, { params }) => {
  const { user } = await requireProjectPermission(params.projectId, "project.manage");
  const { sigmas } = await parseJson(request, ZSetSigmas);
  await db.$transaction(async (tx) => {
    await tx.project.update({ where: { id: params.projectId }, data: { oksSigmas: sigmas === null ? DbNull : sigmas } });
    await recordAuditEvent({ actorId: user.id, projectId: params.projectId, action: "project.sigmas_changed", targetType: "project", targetId: params.projectId, details: { custom: sigmas !== null } }, tx);
  });
  return NextResponse.json({ ok: true });
});
