import "server-only";
import { AppError } from "@/lib/errors/app-error";
import { ZExportOptions } from "@/lib/export/options";
import type { TManifestSupersedes } from "@/lib/export/manifest";
import { db } from "@/lib/server/db";
import type { Prisma } from "@/lib/server/db/open";
import { recordAuditEvent } from "@/lib/server/audit/record-audit-event";

/**
 * Queues the rebuild of a revoked export: the same options (purpose, filters, splits, seed, formats,
 * blur choice); the withdrawn subjects fall out by the consent check every export makes. The subject
 * filter is kept as it was, never emptied (an empty filter would mean "every subject"). The new
 * export's manifest names the export it supersedes and what it left out (see supersessionFor).
 */
export async function rebuildExport(projectId: string, exportId: string, actorId: string | null) {
  return db.$transaction(async (tx) => {
    const old = await tx.export.findFirst({
      where: { id: exportId, projectId },
      select: { id: true, options: true, revokedAt: true },
    });
    if (!old) throw new AppError("not_found", "No such export");
    if (!old.revokedAt)
      throw new AppError(
        "conflict",
        "Only a revoked export is rebuilt; this one is still valid (start a new export instead)",
      );
    const existing = await tx.export.findFirst({
      where: { supersedesId: old.id, status: { not: "failed" } },
      select: { id: true },
    });
    if (existing) throw new AppError("conflict", `This export was already rebuilt as ${existing.id}`);
    const options = ZExportOptions.parse(old.options);
    const job = await tx.export.create({
      data: {
        projectId,
        requestedById: actorId,
        options: options as unknown as Prisma.InputJsonValue,
        unblurred: options.unblurred,
        unblurredReason: options.unblurredReason ?? null,
        supersedesId: old.id,
      },
      select: { id: true, status: true, createdAt: true, supersedesId: true },
    });
    await recordAuditEvent(
      {
        actorId,
        projectId,
        action: "export.rebuild_requested",
        targetType: "export",
        targetId: job.id,
        details: { supersedes: old.id, purpose: options.purpose },
      },
      tx,
    );
    return job;
  });
}

/**
 * For an export that rebuilds a revoked one: which export it supersedes, why that one was revoked, and
 * the images (with their subjects' codes) it held that this one leaves out — what recipients of the
 * old archive must delete. Null for an ordinary export.
 */
export async function supersessionFor(
  exportId: string,
  includedImageIds: readonly string[],
): Promise<TManifestSupersedes | null> {
  const row = await db.export.findUniqueOrThrow({
    where: { id: exportId },
    select: {
      supersedes: {
        select: {
          id: true,
          createdAt: true,
          revokedAt: true,
          revokedReason: true,
          images: { select: { image: { select: { id: true, subject: { select: { code: true } } } } } },
        },
      },
    },
  });
  const old = row.supersedes;
  if (!old) return null;
  const included = new Set(includedImageIds);
  const removed = old.images.map((i) => i.image).filter((image) => !included.has(image.id));
  return {
    exportId: old.id,
    createdAt: old.createdAt.toISOString(),
    revokedAt: old.revokedAt?.toISOString() ?? null,
    revokedReason: old.revokedReason,
    removedImages: removed.map((image) => image.id).sort(),
    removedSubjects: [...new Set(removed.map((image) => image.subject.code))].sort(),
  };
}
