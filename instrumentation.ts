/**
 * Runs once when a server instance starts: schedules the daily consent retention sweep and the hourly
 * storage reconcile (scripts/prepare.ts already ran both once before the server started) and the export worker.
 * On SIGTERM/SIGINT (a deploy, a scale-down) the worker takes no new job and hands the current one back to
 * the queue while the server finishes the requests in flight (scripts/graceful-shutdown.mjs).
 */
export async function register() {
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  const { scheduleDailySweep } = await import("@/lib/server/consent/daily-sweep");
  scheduleDailySweep();
  const { scheduleStorageReconcile } = await import("@/lib/server/storage/reconcile");
  scheduleStorageReconcile();
  const { startExportWorker, stopExportWorker } = await import("@/lib/server/export/export-worker");
  startExportWorker();
  const { onShutdown } = await import("@/lib/server/shutdown-hooks");
  onShutdown(() => stopExportWorker());
}
