import { databaseReachable, databaseUnavailable } from "@/lib/server/db/availability";
import { logIncident } from "@/lib/server/log/incident-log";
import { claimExportJob, executeExportJob, releaseCurrentExport } from "./export-jobs";
import { workOnExportShards } from "./export-shards";

const POLL_MS = 2000;
let running = false;
let stopping = false;
let timer: NodeJS.Timeout | undefined;
let idle: Promise<void> = Promise.resolve();

/**
 * Each app instance polls for export jobs and runs one at a time; with none to start, it helps with the shards of
 * exports other instances are running (lib/server/export/export-shards.ts).
 */
export function startExportWorker(): void {
  if (timer) return;
  timer = setInterval(() => {
    if (running || stopping) return;
    running = true;
    idle = (async () => {
      try {
        for (let claim = await claimExportJob(); claim; claim = stopping ? null : await claimExportJob())
          await executeExportJob(claim);
        if (!stopping) await workOnExportShards(() => stopping);
        databaseReachable();
      } catch (error) {
        // Polled every two seconds: an outage is logged once, not every poll.
        if (!databaseUnavailable(error)) logIncident("export-worker", "[export] worker:", error);
      } finally {
        running = false;
      }
    })();
  }, POLL_MS);
  timer.unref();
}

/**
 * Graceful shutdown: takes no new job, asks the current run to stop at its next step (its job goes back to
 * the queue at once, for another instance) and waits for that, at most `timeoutMs`.
 */
export async function stopExportWorker(timeoutMs = 10_000): Promise<void> {
  stopping = true;
  clearInterval(timer);
  const released = await releaseCurrentExport();
  if (released) console.log(`[export] stopping: releasing export ${released}`);
  await Promise.race([idle, new Promise((resolve) => setTimeout(resolve, timeoutMs).unref())]);
}
