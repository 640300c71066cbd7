export {};

/**
 * A second instance's share of running exports, as a separate process (its own Prisma client and pool):
 * claims and runs export shards as soon as there are any, against DATABASE_URL / PHALANX_DATA_DIR from the
 * environment. Prints "ready" once polling and one line per shard; SIGTERM stops it after the current shard.
 */
async function main() {
  const { workOnExportShards } = await import("@/lib/server/export/export-shards");
  let stopping = false;
  process.once("SIGTERM", () => (stopping = true));
  console.log("ready");
  let shards = 0;
  while (!stopping) {
    shards += await workOnExportShards(() => stopping);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  console.log(`shards ${shards}`);
  process.exit(0);
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
