import "server-only";
import { randomUUID } from "node:crypto";
import { rmSync } from "node:fs";
import path from "node:path";
import { dataDir } from "@/lib/env";
import { AppError } from "@/lib/errors/app-error";
import { ZExportOptions, type TExportOptions } from "@/lib/export/options";
import { db } from "@/lib/server/db";
import type { Prisma } from "@/lib/server/db/open";
import { recordAuditEvent } from "@/lib/server/audit/record-audit-event";
import { isDatabaseUnavailable } from "@/lib/server/db/unavailable";
import { logIncident } from "@/lib/server/log/incident-log";
import { runExport } from "./run-export";
import {
  INSTANCE,
  LeaseLostError,
  MAX_EXPORT_ATTEMPTS,
  RunReleasedError,
  staleMs,
  startExportRun,
  type TExportRun,
} from "./export-lease";

export type TExportClaim = { exportId: string; token: string; attempt: number };

/** Queues an export; any app instance's worker picks it up. Unblurred exports are audited with their reason. */
export async function requestExport(projectId: string, options: TExportOptions, actorId: string | null) {
  const parsed = ZExportOptions.parse(options);
  return db.$transaction(async (tx) => {
    const job = await tx.export.create({
      data: {
        projectId,
        requestedById: actorId,
        options: parsed as unknown as Prisma.InputJsonValue,
        unblurred: parsed.unblurred,
        unblurredReason: parsed.unblurredReason ?? null,
      },
      select: { id: true, status: true, createdAt: true },
    });
    await recordAuditEvent(
      {
        actorId,
        projectId,
        action: parsed.unblurred ? "export.requested_unblurred" : "export.requested",
        targetType: "export",
        targetId: job.id,
        details: { purpose: parsed.purpose, formats: parsed.formats, reason: parsed.unblurredReason ?? null },
      },
      tx,
    );
    return job;
  });
}

/**
 * Claims the oldest queued export, or a running one whose instance sent no heartbeat within the stale time
 * (PHALANX_JOB_STALE_SECONDS), for this instance. The conditional update on the previous fencing token lets
 * exactly one of several claimers win; the winner gets a new token. A job whose runs already stopped
 * MAX_EXPORT_ATTEMPTS times without finishing is failed with a message instead of being run again.
 * `exportId` claims that job only (the command-line export).
 */
export async function claimExportJob(options: { now?: Date; exportId?: string } = {}): Promise<TExportClaim | null> {
  const now = options.now ?? new Date();
  const staleBefore = new Date(now.getTime() - staleMs());
  for (let attempt = 0; attempt < 5; attempt++) {
    const candidate = await db.export.findFirst({
      where: {
        ...(options.exportId ? { id: options.exportId } : {}),
        OR: [
          { status: "queued" },
          { status: "running", heartbeatAt: { lt: staleBefore } },
          { status: "running", heartbeatAt: null, claimedAt: { lt: staleBefore } },
        ],
      },
      orderBy: { createdAt: "asc" },
      select: { id: true, status: true, leaseToken: true, attempts: true, claimedBy: true },
    });
    if (!candidate) return null;
    const previous = { id: candidate.id, status: candidate.status, leaseToken: candidate.leaseToken };
    if (candidate.status === "running" && candidate.attempts >= MAX_EXPORT_ATTEMPTS) {
      await db.export.updateMany({
        where: previous,
        data: {
          status: "failed",
          finishedAt: now,
          leaseToken: null,
          error:
            `The export stopped ${candidate.attempts} times without finishing: the instance running it (last ${candidate.claimedBy ?? "unknown"}) ` +
            "stopped or lost the database each time. Check that instance's log (memory, disk space), then request the export again.",
        },
      });
      console.error(
        `[export] ${candidate.id} failed after ${candidate.attempts} interrupted runs (last on ${candidate.claimedBy})`,
      );
      continue;
    }
    const token = randomUUID();
    const { count } = await db.export.updateMany({
      where: previous,
      data: {
        status: "running",
        claimedBy: INSTANCE,
        claimedAt: now,
        heartbeatAt: now,
        leaseToken: token,
        attempts: { increment: 1 },
        progress: 0,
        error: null,
      },
    });
    if (count === 1) {
      // The previous run is dead or fenced off: its temp files (when it ran on this host or shares the data folder) goes.
      if (candidate.leaseToken)
        for (const leftover of [".zip", ".parts"])
          rmSync(path.join(dataDir(), "tmp", `export-${candidate.id}-${candidate.leaseToken}${leftover}`), {
            force: true,
            recursive: true,
          });
      if (candidate.status === "running")
        console.warn(
          `[export] ${candidate.id}: taken over from ${candidate.claimedBy}, which sent no heartbeat for ${staleMs() / 1000} s`,
        );
      return { exportId: candidate.id, token, attempt: candidate.attempts + 1 };
    }
  }
  return null;
}

/** The run of this instance, while one is in progress (graceful shutdown releases it). */
let current: TExportRun | null = null;

const requeue = (run: TExportRun, countAttempt: boolean) =>
  db.export.updateMany({
    where: run.owned,
    data: {
      status: "queued",
      leaseToken: null,
      claimedBy: null,
      heartbeatAt: null,
      progress: 0,
      ...(countAttempt ? {} : { attempts: { decrement: 1 } }),
    },
  });

/**
 * Graceful shutdown: puts the current run's job back in the queue at once (one write, before the process
 * exits, so another instance can start it without waiting for the stale time) and tells the run to stop
 * at its next step. Returns the job's id, or null when nothing was running.
 */
export async function releaseCurrentExport(): Promise<string | null> {
  const run = current;
  if (!run) return null;
  run.release();
  await requeue(run, false).catch(() => {}); // if the database is gone too, the stale time hands the job over
  return run.exportId;
}

/**
 * Runs a claimed export under its lease. A run that lost the job to another instance stops and leaves the
 * job alone; a released run puts it back in the queue (without counting the attempt); any other error
 * fails the job with its message, if this run still owns it.
 */
export async function executeExportJob(claim: TExportClaim, tuning: { shardImages?: number } = {}) {
  const run = startExportRun(claim.exportId, claim.token);
  current = run;
  try {
    return await runExport(claim.exportId, run, tuning);
  } catch (error) {
    if (error instanceof LeaseLostError) {
      console.warn(`[export] ${error.message}`);
    } else if (error instanceof RunReleasedError) {
      await requeue(run, false);
      console.warn(`[export] ${claim.exportId}: released to the queue (this instance is stopping)`);
    } else if (isDatabaseUnavailable(error)) {
      // Not the export's fault: back to the queue (the attempt counts) once the database answers again.
      logIncident(
        "database-unavailable",
        `[export] ${claim.exportId} interrupted, the database is unreachable:`,
        error,
      );
      await requeue(run, true).catch(() => {});
    } else {
      console.error(`[export] ${claim.exportId} failed:`, error);
      await db.export.updateMany({
        where: run.owned,
        data: {
          status: "failed",
          leaseToken: null,
          error: error instanceof Error ? error.message : String(error),
          finishedAt: new Date(),
        },
      });
    }
    return null;
  } finally {
    run.stop();
    current = null;
  }
}

export function listExports(projectId: string) {
  return db.export.findMany({
    where: { projectId },
    orderBy: { createdAt: "desc" },
    select: {
      id: true,
      status: true,
      progress: true,
      options: true,
      unblurred: true,
      manifest: true,
      error: true,
      createdAt: true,
      finishedAt: true,
      requestedBy: { select: { name: true } },
      revokedAt: true,
      revokedReason: true,
      supersedesId: true,
    },
  });
}

export async function getExportOrThrow(projectId: string, exportId: string) {
  const job = await db.export.findFirst({
    where: { id: exportId, projectId },
    select: {
      id: true,
      status: true,
      progress: true,
      manifest: true,
      error: true,
      archiveKey: true,
      createdAt: true,
      finishedAt: true,
      revokedAt: true,
      revokedReason: true,
      supersedesId: true,
    },
  });
  if (!job) throw new AppError("not_found", "No such export");
  return job;
}
