import { claimExportJob, executeExportJob } from "./export-jobs";

const POLL_MS = 2000;
let running = false;

/** Each app instance polls for export jobs and runs one at a time. */
export function startExportWorker(): void {
  const timer = setInterval(async () => {
    if (running) return;
    running = true;
    try {
      for (let id = await claimExportJob(); id; id = await claimExportJob()) await executeExportJob(id);
    } catch (error) {
      console.error("[export] worker:", error);
    } finally {
      running = false;
    }
  }, POLL_MS);
  timer.unref();
}
