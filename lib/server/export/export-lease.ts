import "server-only";
import { hostname } from "node:os";
import { env } from "@/lib/env";
import { db } from "@/lib/server/db";

/** This process, as shown in the job row (claimedBy) and the logs. */
export const INSTANCE = `${hostname()}:${process.pid}`;

/** Runs that may stop without finishing (instance killed, out of memory) before the job fails for good. */
export const MAX_EXPORT_ATTEMPTS = 3;

export const staleMs = () => env().PHALANX_JOB_STALE_SECONDS * 1000;

/** The run no longer owns its job: another instance took it over (this one looked dead), or it was deleted. */
export class LeaseLostError extends Error {
  override name = "LeaseLostError";
}

/** The run was asked to stop (the instance is shutting down); its job goes back to the queue. */
export class RunReleasedError extends Error {
  override name = "RunReleasedError";
}

/**
 * One run's hold on an export job. A timer sends a heartbeat every quarter of the stale time whatever the
 * run is doing (blurring, streaming JSON, zipping, uploading), so only a dead or cut-off instance looks
 * stale. Every write of the run goes through `owned` (the fencing token): once another instance has taken
 * the job over, the writes match nothing, the run learns it lost the job and stops at its next step.
 */
export type TExportRun = {
  exportId: string;
  token: string;
  /** The condition for every write to the job row by this run. */
  owned: { id: string; leaseToken: string; status: "running" };
  /** Throws when the job was taken over or the run was released; called between steps. */
  ensureOwned(): void;
  /** Records progress (0..1, never less than before) with a heartbeat; throws LeaseLostError when the job is no longer this run's. */
  progress(share: number): Promise<void>;
  /** Asks the run to stop at its next step (graceful shutdown). */
  release(): void;
  /** Stops the heartbeat. */
  stop(): void;
};

/** How often a run writes its progress at most (what a person watching the export sees move). */
const PROGRESS_WRITE_MS = 500;

export function startExportRun(exportId: string, token: string, options: { heartbeatMs?: number } = {}): TExportRun {
  const owned = { id: exportId, leaseToken: token, status: "running" as const };
  let lost = false;
  let released = false;
  let progressWrittenAt = -Infinity;
  let progressShown = 0;
  const beat = async (data: { progress?: number } = {}) => {
    const { count } = await db.export.updateMany({ where: owned, data: { heartbeatAt: new Date(), ...data } });
    if (count === 0) lost = true;
  };
  const run: TExportRun = {
    exportId,
    token,
    owned,
    ensureOwned() {
      if (released) throw new RunReleasedError(`export ${exportId} was released by ${INSTANCE} (shutting down)`);
      if (lost)
        throw new LeaseLostError(
          `export ${exportId} was taken over by another instance; this run (${INSTANCE}) stopped`,
        );
    },
    async progress(share) {
      // At most one progress write per PROGRESS_WRITE_MS (the heartbeat timer keeps the lease alive in between):
      // on SQLite every write is a synchronous commit that holds the event loop, and a fast (cached) export
      // reports progress after every shard.
      // Never backwards: a repeat export that finds changed labels part-way hands the rest to shards, whose
      // shares start again from 0.
      progressShown = Math.max(progressShown, share);
      if (performance.now() - progressWrittenAt >= PROGRESS_WRITE_MS) {
        progressWrittenAt = performance.now();
        await beat({ progress: progressShown });
      }
      run.ensureOwned();
    },
    release() {
      released = true;
    },
    stop() {
      clearInterval(timer);
    },
  };
  // A failed heartbeat (database briefly unreachable) is retried at the next tick; if the outage outlasts the
  // stale time another instance takes over, and this run then finds its token gone.
  const timer = setInterval(() => void beat().catch(() => {}), options.heartbeatMs ?? Math.max(500, staleMs() / 4));
  timer.unref();
  return run;
}
