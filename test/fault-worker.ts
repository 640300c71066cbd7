/**
 * One app instance's background work, as a separate process for the fault-injection suite: the export
 * worker exactly as instrumentation.ts starts it, against DATABASE_URL / PHALANX_DATA_DIR from the
 * environment. Prints "ready" once polling; SIGTERM stops it gracefully, SIGKILL is the crash under test.
 */
async function main() {
  const { startExportWorker, stopExportWorker } = await import("@/lib/server/export/export-worker");
  startExportWorker();
  const keepAlive = setInterval(() => {}, 1000);
  process.once("SIGTERM", async () => {
    await stopExportWorker();
    clearInterval(keepAlive);
    process.exit(0);
  });
  console.log("ready");
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
