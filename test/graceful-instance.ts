/**
 * An app instance as scripts/server.mjs runs it, minus Next.js (whose build the unit suite does not have): a
 * node:http server behind scripts/graceful-shutdown.mjs, and the app's background work started by
 * instrumentation.ts's own `register()` (so the export worker's shutdown hook is wired exactly as in
 * production). GET /slow?ms=… answers after that long (a request in flight); GET / answers at once.
 * Prints "listening <port>" once up. For lib/server/faults/graceful-shutdown.test.ts.
 */
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { installGracefulShutdown, shutdownHooks } from "@/scripts/graceful-shutdown.mjs";

async function main() {
  shutdownHooks();
  process.env.NEXT_RUNTIME = "nodejs";
  const { register } = await import("@/instrumentation");
  await register();
  const server = createServer((request, response) => {
    const url = new URL(request.url ?? "/", "http://localhost");
    const ms = url.pathname === "/slow" ? Number(url.searchParams.get("ms") ?? 1000) : 0;
    setTimeout(() => response.end(`done after ${ms} ms`), ms);
  });
  server.listen(0, "127.0.0.1", () => console.log(`listening ${(server.address() as AddressInfo).port}`));
  installGracefulShutdown(server);
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
