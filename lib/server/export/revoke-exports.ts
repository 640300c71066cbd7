import "server-only";
import { db } from "@/lib/server/db";
import { recordAuditEvent, type TTx } from "@/lib/server/audit/record-audit-event";
import { storage } from "@/lib/server/storage/storage";

/** Who downloaded an archive, and when: the recipients a controller must inform (GDPR Art. 17(2), 19). */
export type TExportDownload = { userId: string | null; name: string | null; email: string | null; at: Date };
export type TAffectedExport = {
  id: string;
  createdAt: Date;
  requestedBy: string | null;
  revokedAt: Date | null;
  revokedReason: string | null;
  downloads: TExportDownload[];
};

/**
 * Revokes, inside the caller's transaction, every export that contains one of the images: from the
 * commit on, no path serves it (410 with this reason and date). Exports revoked earlier keep their
 * first reason. Returns the ids newly revoked.
 */
export async function revokeExportsContaining(
  tx: TTx,
  input: { projectId: string; imageIds: string[]; reason: string; actorId: string | null; now: Date },
): Promise<string[]> {
  if (input.imageIds.length === 0) return [];
  const rows = await tx.export.findMany({
    where: { projectId: input.projectId, revokedAt: null, images: { some: { imageId: { in: input.imageIds } } } },
    select: { id: true },
  });
  const ids = rows.map((row) => row.id);
  if (ids.length === 0) return [];
  await tx.export.updateMany({
    where: { id: { in: ids }, revokedAt: null },
    data: { revokedAt: input.now, revokedReason: input.reason },
  });
  for (const id of ids) {
    await recordAuditEvent(
      {
        actorId: input.actorId,
        projectId: input.projectId,
        action: "export.revoked",
        targetType: "export",
        targetId: id,
        details: { reason: input.reason },
      },
      tx,
    );
  }
  return ids;
}

/**
 * An export whose run finished after a withdrawal had already committed may hold an image that is no
 * longer active: revoked at once, in the run's final transaction (after its ExportImage rows), so it is never
 * served either. Joined through those rows: a list of ids would exceed SQLite's parameter limit on big exports.
 */
export async function revokeIfWithdrawnMeanwhile(
  tx: TTx,
  exportId: string,
  projectId: string,
  now = new Date(),
): Promise<boolean> {
  const gone = await tx.image.count({ where: { exports: { some: { exportId } }, state: { not: "active" } } });
  if (gone === 0) return false;
  await tx.export.update({
    where: { id: exportId },
    data: { revokedAt: now, revokedReason: "consent withdrawn while the export ran" },
  });
  await recordAuditEvent(
    {
      actorId: null,
      projectId,
      action: "export.revoked",
      targetType: "export",
      targetId: exportId,
      details: { reason: "consent withdrawn while the export ran", images: gone },
    },
    tx,
  );
  return true;
}

/** The people who downloaded each export, oldest first, from the audit log. */
export async function downloadsOf(exportIds: string[], client: TTx = db): Promise<Map<string, TExportDownload[]>> {
  const out = new Map<string, TExportDownload[]>(exportIds.map((id) => [id, []]));
  if (exportIds.length === 0) return out;
  const events = await client.auditEvent.findMany({
    where: { action: "export.downloaded", targetType: "export", targetId: { in: exportIds } },
    orderBy: { at: "asc" },
    select: { targetId: true, at: true, actorId: true, actor: { select: { name: true, email: true } } },
  });
  for (const e of events)
    out
      .get(e.targetId!)
      ?.push({ userId: e.actorId, name: e.actor?.name ?? null, email: e.actor?.email ?? null, at: e.at });
  return out;
}

/** Exports containing any of the images, with their revocation and who downloaded them. */
export async function affectedExports(imageIds: string[], client: TTx = db): Promise<TAffectedExport[]> {
  if (imageIds.length === 0) return [];
  const rows = await client.export.findMany({
    where: { images: { some: { imageId: { in: imageIds } } } },
    select: { id: true },
  });
  return describeExports(
    rows.map((row) => row.id),
    client,
  );
}

/** The exports, oldest first, with their revocation and who downloaded them. */
export async function describeExports(exportIds: string[], client: TTx = db): Promise<TAffectedExport[]> {
  if (exportIds.length === 0) return [];
  const rows = await client.export.findMany({
    where: { id: { in: exportIds } },
    orderBy: { createdAt: "asc" },
    select: {
      id: true,
      createdAt: true,
      revokedAt: true,
      revokedReason: true,
      requestedBy: { select: { email: true } },
    },
  });
  const downloads = await downloadsOf(
    rows.map((r) => r.id),
    client,
  );
  return rows.map((r) => ({
    id: r.id,
    createdAt: r.createdAt,
    requestedBy: r.requestedBy?.email ?? null,
    revokedAt: r.revokedAt,
    revokedReason: r.revokedReason,
    downloads: downloads.get(r.id)!,
  }));
}

/**
 * What happens to a revoked archive's bytes (README, "Consent and privacy"):
 * - purge policy: deleted from storage right after the revoking commit (and by every sweep, should the
 *   process die in between);
 * - quarantine policy: kept, unreachable (every download answers 410), as the quarantined originals
 *   are; deleted as soon as any image it contains is purged (retention sweep or a later purge).
 * Returns how many archives were deleted.
 */
export async function purgeRevokedArchives(where: { projectId?: string } = {}, now = new Date()): Promise<number> {
  const due = await db.export.findMany({
    where: {
      ...where,
      revokedAt: { not: null },
      archiveKey: { not: null },
      OR: [{ project: { withdrawalPolicy: "purge" } }, { images: { some: { image: { state: "purged" } } } }],
    },
    select: { id: true, projectId: true, archiveKey: true },
  });
  for (const row of due) {
    await storage().remove(row.archiveKey!);
    await db.$transaction(async (tx) => {
      await tx.export.update({ where: { id: row.id }, data: { archiveKey: null, archivePurgedAt: now } });
      await recordAuditEvent(
        {
          actorId: null,
          projectId: row.projectId,
          action: "export.archive_purged",
          targetType: "export",
          targetId: row.id,
          details: { key: row.archiveKey },
        },
        tx,
      );
    });
  }
  return due.length;
}
