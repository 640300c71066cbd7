import { randomBytes } from "node:crypto";
import { linkSync, readFileSync, rmSync, writeFileSync, mkdirSync } from "node:fs";
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
    // Written whole under a private name, then linked into place: link fails if another instance won the
    // race, and nobody ever reads a half-written file.
    const draft = `${file}.${process.pid}.${randomBytes(4).toString("hex")}`;
    writeFileSync(draft, randomBytes(32).toString("base64url"), { flag: "wx", mode: 0o600 });
    try {
      linkSync(draft, file);
    } catch {
      // Another instance linked its secret first: everyone reads that one below.
    }
    rmSync(draft, { force: true });
    return readFileSync(file, "utf8").trim();
  }
}
