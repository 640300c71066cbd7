import "server-only";
import { z } from "zod";
import { COCO_WHOLEBODY_HAND_SIGMAS } from "@/lib/oks";
import { JOINT_COUNT } from "@/lib/hand/skeleton";
import { db } from "@/lib/server/db";
import { DbNull } from "@/lib/server/db/open";
import { recordAuditEvent } from "@/lib/server/audit/record-audit-event";

export const ZSigmas = z.array(z.number().positive().max(1)).length(JOINT_COUNT);

/** The project's OKS sigmas: its own once a manager adopted recomputed ones, else COCO-WholeBody's. */
export async function projectSigmas(projectId: string): Promise<{ sigmas: readonly number[]; custom: boolean }> {
  const { oksSigmas } = await db.project.findUniqueOrThrow({ where: { id: projectId }, select: { oksSigmas: true } });
  const parsed = ZSigmas.safeParse(oksSigmas);
  return parsed.success ? { sigmas: parsed.data, custom: true } : { sigmas: COCO_WHOLEBODY_HAND_SIGMAS, custom: false };
}

/** Adopts per-joint sigmas for the project, or null to return to COCO-WholeBody's; audit-logged. */
export async function setProjectSigmas(
  projectId: string,
  sigmas: z.infer<typeof ZSigmas> | null,
  actorId: string,
): Promise<void> {
  await db.$transaction(async (tx) => {
    await tx.project.update({ where: { id: projectId }, data: { oksSigmas: sigmas === null ? DbNull : sigmas } });
    await recordAuditEvent(
      {
        actorId,
        projectId,
        action: "project.sigmas_changed",
        targetType: "project",
        targetId: projectId,
        details: { custom: sigmas !== null },
      },
      tx,
    );
  });
}
