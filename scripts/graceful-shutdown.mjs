/**
 * Graceful shutdown of an app instance on SIGTERM/SIGINT (a deploy, a scale-down), used by scripts/server.mjs:
 *   1. stop accepting connections (the load balancer's next attempt goes to another instance) and close idle
 *      keep-alive sockets;
 *   2. run the shutdown hooks the app registered (lib/server/shutdown-hooks.ts — the export worker takes no new
 *      job and puts the current one back in the queue, so another instance starts it at once) while the
 *      requests in flight finish;
 *   3. exit once both are done, or when the grace period (PHALANX_SHUTDOWN_GRACE_SECONDS, default 20) ends,
 *      closing what is left. A second signal (2 s or more after the first) exits at once.
 * The hooks live on globalThis under a registered symbol: the app's modules (bundled by Next.js) and this
 * file share the process but not their module instances.
 */
const HOOKS = Symbol.for("phalanx.shutdownHooks");

/** Installs the registry the app's modules add their hooks to; returns it. */
export function shutdownHooks() {
  globalThis[HOOKS] ??= [];
  return globalThis[HOOKS];
}

function graceMs() {
  const raw = process.env.PHALANX_SHUTDOWN_GRACE_SECONDS;
  const seconds = raw === undefined || raw === "" ? 20 : Number(raw);
  if (!Number.isFinite(seconds) || seconds < 0 || seconds > 3600)
    throw new Error(`Invalid configuration: PHALANX_SHUTDOWN_GRACE_SECONDS must be 0–3600 seconds, got "${raw}"`);
  return seconds * 1000;
}

/** Wires SIGTERM/SIGINT to a graceful stop of `server` (a node:http Server) and the registered hooks. */
export function installGracefulShutdown(server, { log = (line) => console.log(line), exit = process.exit } = {}) {
  const grace = graceMs();
  const hooks = shutdownHooks();
  let stoppingSince = 0;
  const stop = async (signal) => {
    if (stoppingSince) {
      // The same stop reaching us twice (a signal to the process group that `npm start` also forwards) is
      // not a second request; one sent later is.
      if (Date.now() - stoppingSince < 2000) return;
      log(`[server] ${signal} again: exiting now`);
      exit(1);
      return;
    }
    const started = (stoppingSince = Date.now());
    log(
      `[server] ${signal}: no new connections; finishing requests in flight and ${hooks.length} shutdown hook(s) (at most ${grace / 1000} s)`,
    );
    const closed = new Promise((resolve) => server.close(() => resolve(true)));
    server.closeIdleConnections?.();
    const hooksDone = Promise.allSettled(hooks.map((hook) => Promise.resolve().then(hook)));
    const timedOut = new Promise((resolve) => setTimeout(() => resolve(false), grace).unref());
    const finished = await Promise.race([Promise.all([closed, hooksDone]).then(() => true), timedOut]);
    if (!finished) {
      log(`[server] grace period over: closing the remaining connections`);
      server.closeAllConnections?.();
    }
    log(`[server] stopped in ${((Date.now() - started) / 1000).toFixed(1)} s`);
    exit(0);
  };
  for (const signal of ["SIGTERM", "SIGINT"]) process.on(signal, () => void stop(signal));
}
