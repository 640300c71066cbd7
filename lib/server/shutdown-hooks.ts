/**
 * Work to do before an instance exits on SIGTERM/SIGINT. Under scripts/server.mjs (`npm start`) the hooks join
 * the server's graceful shutdown (scripts/graceful-shutdown.mjs: it stops taking connections, runs them while
 * requests finish, then exits). Elsewhere (`next dev`, `next start`) each hook runs on the signal by itself.
 */
const HOOKS = Symbol.for("phalanx.shutdownHooks");

export function onShutdown(hook: () => Promise<unknown> | void): void {
  const registry = (globalThis as { [HOOKS]?: (() => unknown)[] })[HOOKS];
  if (registry) registry.push(hook);
  else for (const signal of ["SIGTERM", "SIGINT"] as const) process.once(signal, () => void hook());
}
