import { randomBytes } from "node:crypto";
import { readFileSync, writeFileSync, mkdirSync } from "node:fs";
import path from "node:path";
import { dataDir, databaseTarget, env } from "@/lib/env";

/**
 * AUTH_SECRET, or one generated into ./data on first use so the embedded default needs no setup.
 * With PostgreSQL (several instances share the database) a per-machine file would sign sessions that
 * other instances reject, so there the secret must be configured.
 */
export function authSecret(): string {
  const configured = env().AUTH_SECRET;
  if (configured) return configured;
  if (databaseTarget().provider === "postgresql" && env().NODE_ENV === "production") {
    throw new Error(
      "AUTH_SECRET is not set. With PostgreSQL every app instance must share one secret: " +
        "set AUTH_SECRET to a random string of at least 32 characters (e.g. `openssl rand -base64 32`).",
    );
  }
  const file = path.join(dataDir(), "auth-secret");
  try {
    return readFileSync(file, "utf8").trim();
  } catch {
    mkdirSync(dataDir(), { recursive: true });
    try {
      // 'wx': if another process wins the race, read what it wrote instead of overwriting it.
      writeFileSync(file, randomBytes(32).toString("base64url"), { flag: "wx", mode: 0o600 });
    } catch {}
    return readFileSync(file, "utf8").trim();
  }
}
