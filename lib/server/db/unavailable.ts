/**
 * Recognises "the database cannot be reached right now" (refused, reset, terminated by the server, pool
 * exhausted, too many connections) among errors from Prisma, its driver adapters and the drivers, so callers
 * answer 503 and retry later instead of reporting a bug. Framework-free: used by routes, workers and tests.
 */
const PRISMA_CODES = new Set(["P1001", "P1002", "P1008", "P1017", "P2024"]);
const ADAPTER_KINDS = new Set([
  "DatabaseNotReachable",
  "ConnectionClosed",
  "SocketTimeout",
  "TooManyConnections",
  "TlsConnectionError",
]);
const NODE_CODES = new Set(["ECONNREFUSED", "ECONNRESET", "ETIMEDOUT", "EPIPE", "ENOTFOUND", "EHOSTUNREACH"]);
// PostgreSQL SQLSTATEs: class 08 (connection exception), 57P01–57P03 (terminated by an administrator or a
// shutdown, e.g. pg_terminate_backend; server starting up), 53300 (too many connections).
const POSTGRES_STATE = /^(08...|57P0[123]|53300)$/;
const MESSAGES =
  /connection terminated|terminating connection|server closed the connection|can't reach database server|connection (?:is )?closed|timed out fetching a new connection|has encountered a connection error/i;

type TErrorLike = {
  code?: unknown;
  kind?: unknown;
  message?: unknown;
  cause?: unknown;
  meta?: { driverAdapterError?: unknown };
};

export function isDatabaseUnavailable(error: unknown): boolean {
  const seen = new Set<unknown>();
  const queue: unknown[] = [error];
  while (queue.length) {
    const current = queue.shift() as TErrorLike | null | undefined;
    if (!current || typeof current !== "object" || seen.has(current)) continue;
    seen.add(current);
    const code = typeof current.code === "string" ? current.code : "";
    if (PRISMA_CODES.has(code) || NODE_CODES.has(code)) return true;
    if (
      current.kind === "postgres"
        ? POSTGRES_STATE.test(code)
        : typeof current.kind === "string" && ADAPTER_KINDS.has(current.kind)
    )
      return true;
    if (!current.kind && POSTGRES_STATE.test(code)) return true;
    if (typeof current.message === "string" && MESSAGES.test(current.message)) return true;
    queue.push(current.cause, current.meta?.driverAdapterError);
  }
  return false;
}
