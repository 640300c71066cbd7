import "server-only";
import { db } from "@/lib/server/db";
import { databaseReachable } from "@/lib/server/db/availability";
import { logIncident, recovered } from "@/lib/server/log/incident-log";
import { storage } from "@/lib/server/storage/storage";

export type THealth = { ok: boolean; database: "ok" | "unreachable"; storage: "ok" | "unreachable" };

const TIMEOUT_MS = 3000;
/** A key nothing is stored under: reading it proves the storage answers (a missing key is the expected answer). */
const PROBE_KEY = "health/probe";

const withTimeout = <T>(work: Promise<T>) =>
  Promise.race([
    work,
    new Promise<never>((_, reject) =>
      setTimeout(() => reject(new Error(`no answer within ${TIMEOUT_MS} ms`)), TIMEOUT_MS).unref(),
    ),
  ]);

/** Whether this instance can serve: the database answers a query and the storage answers a read. Says nothing else. */
export async function checkHealth(): Promise<THealth> {
  const [database, store] = await Promise.all([
    withTimeout(db.$queryRawUnsafe("SELECT 1")).then(
      () => (databaseReachable(), "ok" as const),
      (error) => (
        logIncident("database-unavailable", "[health] the database is unreachable:", error),
        "unreachable" as const
      ),
    ),
    withTimeout(storage().get(PROBE_KEY)).then(
      () => "ok" as const,
      (error: { code?: string }) => {
        if (error?.code === "ENOENT")
          return (recovered("storage-unavailable", "[health] the storage is reachable again"), "ok" as const);
        logIncident("storage-unavailable", "[health] the storage is unreachable:", error);
        return "unreachable" as const;
      },
    ),
  ]);
  return { ok: database === "ok" && store === "ok", database, storage: store };
}
