import "server-only";
import { hostname } from "node:os";
import { AppError } from "@/lib/errors/app-error";
import { ZExportOptions, type TExportOptions } from "@/lib/export/options";
import { db } from "@/lib/server/db";
import type { Prisma } from "@/lib/server/db/open";
import { recordAuditEvent } from "@/lib/server/audit/record-audit-event";
import { runExport } from "./run-export";

const INSTANCE = `${hostname()}:${process.pid}`;
/** A running job whose instance stopped reporting progress for this long is taken over by another. */
const STALE_MS = 10 * 60 * 1000;

/** Queues an export; any app instance's worker picks it up. Unblurred exports are audited with their reason. */
export async function requestExport(projectId: string, options: TExportOptions, actorId: string | null) {
  const parsed = ZExportOptions.parse(options);
  return db.$transaction(async (tx) => {
    const job = await tx.export.create({
      data: { projectId, requestedById: actorId, options: parsed as unknown as Prisma.InputJsonValue, unblurred: parsed.unblurred, unblurredReason: parsed.unblurredReason ?? null },
      select: { id: true, status: true, createdAt: true },
    });
    await recordAuditEvent({ actorId, projectId, action: parsed.unblurred ? "export.requested_unblurred" : "export.requested", targetType: "export", targetId: job.id, details: { purpose: parsed.purpose, formats: parsed.formats, reason: parsed.unblurredReason ?? null } }, tx);
    return job;
  });
}

/**
 * Claims the oldest queued (or abandoned) export for this instance with a conditional update, so two
 * instances never run the same job. Returns its id or null.
 */
export async function claimExportJob(now = new Date()): Promise<string | null> {
  for (let attempt = 0; attempt < 5; attempt++) {
    const candidate = await db.export.findFirst({
      where: { OR: [{ status: "queued" }, { status: "running", claimedAt: { lt: new Date(now.getTime() - STALE_MS) } }] },
      orderBy: { createdAt: "asc" },
      select: { id: true, status: true, claimedAt: true },
    });
    if (!candidate) return null;
    const { count } = await db.export.updateMany({
      where: { id: candidate.id, status: candidate.status, claimedAt: candidate.claimedAt },
      data: { status: "running", claimedBy: INSTANCE, claimedAt: now, progress: 0, error: null },
    });
    if (count === 1) return candidate.id;
  }
  return null;
}

/** Runs a claimed export, reporting progress (which also proves this instance is alive). */
export async function executeExportJob(exportId: string) {
  try {
    return await runExport(exportId, async (share) => {
      await db.export.update({ where: { id: exportId }, data: { progress: share, claimedAt: new Date() } });
    });
  } catch (error) {
    console.error(`[export] ${exportId} failed:`, error);
    await db.export.update({ where: { id: exportId }, data: { status: "failed", error: error instanceof Error ? error.message : String(error), finishedAt: new Date() } });
    return null;
  }
}

export function listExports(projectId: string) {
  return db.export.findMany({
    where: { projectId },
    orderBy: { createdAt: "desc" },
    select: { id: true, status: true, progress: true, options: true, unblurred: true, manifest: true, error: true, createdAt: true, finishedAt: true, requestedBy: { select: { name: true } }, revokedAt: true, revokedReason: true, supersedesId: true },
  });
}

export async function getExportOrThrow(projectId: string, exportId: string) {
  const job = await db.export.findFirst({ where: { id: exportId, projectId }, select: { id: true, status: true, progress: true, manifest: true, error: true, archiveKey: true, createdAt: true, finishedAt: true, revokedAt: true, revokedReason: true, supersedesId: true } });
  if (!job) throw new AppError("not_found", "No such export");
  return job;
}
