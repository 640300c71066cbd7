/**
 * Runs once when a server instance starts: schedules the daily consent retention sweep
 * (scripts/prepare.ts already ran it once before the server started) and the export worker.
 */
export async function register() {
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  const { scheduleDailySweep } = await import("@/lib/server/consent/daily-sweep");
  scheduleDailySweep();
  const { startExportWorker } = await import("@/lib/server/export/export-worker");
  startExportWorker();
}
