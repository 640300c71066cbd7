import "server-only";
import { AppError } from "@/lib/errors/app-error";
import { logIncident, recovered } from "@/lib/server/log/incident-log";
import { isDatabaseUnavailable } from "./unavailable";

/** Seconds a client (or load balancer) is asked to wait before retrying while the database is unreachable. */
export const DATABASE_RETRY_AFTER_SECONDS = 5;
const INCIDENT = "database-unavailable";

/**
 * When `error` means the database cannot be reached, logs it once per outage and returns the 503 to answer
 * (with Retry-After); otherwise null. The pool reconnects by itself, so no restart is needed afterwards.
 */
export function databaseUnavailable(error: unknown): AppError | null {
  if (!isDatabaseUnavailable(error)) return null;
  logIncident(INCIDENT, "[db] the database is unreachable; answering 503 until it is back:", error);
  return new AppError(
    "unavailable",
    "The database is unreachable right now. Your last change may not be saved; try again in a few seconds.",
    {},
    DATABASE_RETRY_AFTER_SECONDS,
  );
}

/** Called after a successful database round trip (health check, job poll): ends a logged outage. */
export function databaseReachable(): void {
  recovered(INCIDENT, "[db] the database is reachable again");
}
