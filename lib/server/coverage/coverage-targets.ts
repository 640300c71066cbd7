import "server-only";
import { ZTargetInput, type TTarget, type TTargetInput } from "@/lib/coverage/targets";
import { AppError } from "@/lib/errors/app-error";
import { db } from "@/lib/server/db";
import { recordAuditEvent } from "@/lib/server/audit/record-audit-event";

type TRow = { id: string; name: string; kind: string; value: number; cell: unknown; each: string | null };

/** A stored target, parsed (a row that no longer parses — e.g. a dimension renamed — is skipped, not fatal). */
function fromRow(row: TRow): TTarget | null {
  const parsed = ZTargetInput.safeParse({
    name: row.name,
    kind: row.kind,
    value: row.value,
    cell: row.cell,
    each: row.each,
  });
  return parsed.success ? { ...parsed.data, id: row.id } : null;
}

export async function listTargets(projectId: string): Promise<TTarget[]> {
  const rows = await db.coverageTarget.findMany({ where: { projectId }, orderBy: { createdAt: "asc" } });
  return rows.map(fromRow).filter((t): t is TTarget => t !== null);
}

export async function createTarget(projectId: string, input: TTargetInput, actorId: string): Promise<TTarget> {
  return db.$transaction(async (tx) => {
    const row = await tx.coverageTarget.create({
      data: {
        projectId,
        name: input.name,
        kind: input.kind,
        value: input.value,
        cell: input.cell,
        each: input.each,
        createdById: actorId,
      },
    });
    await recordAuditEvent(
      {
        actorId,
        projectId,
        action: "coverage.target_created",
        targetType: "coverage_target",
        targetId: row.id,
        details: { ...input },
      },
      tx,
    );
    return fromRow(row)!;
  });
}

export async function updateTarget(
  projectId: string,
  targetId: string,
  input: TTargetInput,
  actorId: string,
): Promise<TTarget> {
  return db.$transaction(async (tx) => {
    const { count } = await tx.coverageTarget.updateMany({
      where: { id: targetId, projectId },
      data: { name: input.name, kind: input.kind, value: input.value, cell: input.cell, each: input.each },
    });
    if (count === 0) throw new AppError("not_found", "No such target");
    await recordAuditEvent(
      {
        actorId,
        projectId,
        action: "coverage.target_updated",
        targetType: "coverage_target",
        targetId,
        details: { ...input },
      },
      tx,
    );
    return { ...input, id: targetId };
  });
}

export async function deleteTarget(projectId: string, targetId: string, actorId: string): Promise<void> {
  await db.$transaction(async (tx) => {
    const { count } = await tx.coverageTarget.deleteMany({ where: { id: targetId, projectId } });
    if (count === 0) throw new AppError("not_found", "No such target");
    await recordAuditEvent(
      { actorId, projectId, action: "coverage.target_deleted", targetType: "coverage_target", targetId, details: {} },
      tx,
    );
  });
}
