/**
 * For tests that run Phalanx as separate processes on one database (the multi-instance and fault-injection
 * suites): a fresh empty database of the lane's provider, and child processes started with their own
 * environment. Real processes, real databases: nothing here stands in for our own stack.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import pg from "pg";

export const root = path.resolve(import.meta.dirname, "..");
export const lane: "sqlite" | "postgresql" = process.env.PHALANX_TEST_DB === "postgresql" ? "postgresql" : "sqlite";
export const POSTGRES_ADMIN_URL =
  process.env.PHALANX_TEST_POSTGRES_URL ?? "postgresql://postgres@127.0.0.1:5432/postgres";
export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export type TFreshDatabase = { url: string; dataDir: string; drop: () => Promise<void> };

/** An empty database (no migrations applied) and an empty data folder. */
export async function freshDatabase(): Promise<TFreshDatabase> {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), "phalanx-instances-"));
  if (lane === "sqlite") {
    return {
      url: `file:${path.join(dataDir, "phalanx.db")}`,
      dataDir,
      drop: async () => rmSync(dataDir, { recursive: true, force: true }),
    };
  }
  const name = `phalanx_i_${randomBytes(6).toString("hex")}`;
  await adminQuery(`CREATE DATABASE "${name}"`);
  const url = new URL(POSTGRES_ADMIN_URL);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    dataDir,
    drop: async () => {
      await adminQuery(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export async function adminQuery(sql: string, params: unknown[] = [], url = POSTGRES_ADMIN_URL) {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await client.query(sql, params);
  } finally {
    await client.end();
  }
}

export type TChild = { process: ChildProcess; output: () => string; exited: Promise<number | null> };

/** Runs a TypeScript entry point (as `npm start` runs scripts/prepare.ts) in its own Node process. */
export function runScript(script: string, env: Record<string, string>, args: string[] = []): TChild {
  const child = spawn(process.execPath, ["--conditions=react-server", "--import", "tsx", script, ...args], {
    cwd: root,
    env: { ...process.env, NEXT_TELEMETRY_DISABLED: "1", ...env, NODE_ENV: "production" },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  child.stdout!.on("data", (chunk) => (output += chunk));
  child.stderr!.on("data", (chunk) => (output += chunk));
  const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
  return { process: child, output: () => output, exited };
}
