/**
 * For benchmarks that drive the built app in Chromium (bench/workspace.ts, bench/assist.ts): start it
 * the way users do (`node scripts/start.mjs`) on a free port with its own temp data, wait for /login,
 * and stop the whole process group afterwards. Not itself a benchmark (scripts/bench.mjs runs bench/*.ts only).
 */
import { spawn, type ChildProcess } from "node:child_process";
import { closeSync, openSync, readFileSync } from "node:fs";
import net from "node:net";
import path from "node:path";
import type { APIRequestContext } from "@playwright/test";

export const ADMIN = { email: "admin@bench.local", password: "bench-admin-password-1" };
const root = path.resolve(import.meta.dirname, "../..");
export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function freePort(from: number): Promise<number> {
  for (let port = from; port < from + 100; port++) {
    const free = await new Promise<boolean>((resolve) => {
      const probe = net
        .createServer()
        .once("error", () => resolve(false))
        .once("listening", () => probe.close(() => resolve(true)));
      probe.listen(port);
    });
    if (free) return port;
  }
  throw new Error(`no free port in ${from}–${from + 99}`);
}

export type TServer = { process: ChildProcess; baseURL: string; logFile: string; stop: () => Promise<void> };

export async function startServer(
  dataDir: string,
  firstPort: number,
  log: (line: string) => void,
  /** Set after the defaults (e.g. DATABASE_URL and AUTH_SECRET to run on PostgreSQL). */
  extraEnv: Record<string, string> = {},
): Promise<TServer> {
  const port = await freePort(firstPort);
  const logFile = path.join(dataDir, "server.log");
  const fd = openSync(logFile, "a");
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    PORT: String(port),
    PHALANX_DATA_DIR: path.join(dataDir, "app"),
    PHALANX_ADMIN_EMAIL: ADMIN.email,
    PHALANX_ADMIN_PASSWORD: ADMIN.password,
    PHALANX_DEMO: "0",
  };
  // The app's own SQLite database and local storage in the temp folder, whatever this shell points at.
  for (const name of [
    "DATABASE_URL",
    "PHALANX_DB_PROVIDER",
    "PHALANX_STORAGE",
    "PHALANX_MAX_UPLOAD_BYTES",
    "PHALANX_MAX_PIXELS",
  ])
    delete env[name];
  Object.assign(env, extraEnv);
  // Its own process group, so stopping it also stops `next build` / `next start` under it.
  const child = spawn(process.execPath, [path.join(root, "scripts/start.mjs")], {
    cwd: root,
    env,
    detached: true,
    stdio: ["ignore", fd, fd],
  });
  closeSync(fd);
  let exited: number | null | undefined;
  child.on("exit", (code) => {
    exited = code;
  });
  const stop = async () => {
    if (exited !== undefined || !child.pid) return;
    const gone = new Promise<void>((resolve) => child.once("exit", () => resolve()));
    try {
      process.kill(-child.pid, "SIGTERM");
    } catch {
      return;
    }
    const killed = await Promise.race([gone.then(() => true), sleep(8000).then(() => false)]);
    if (!killed)
      try {
        process.kill(-child.pid, "SIGKILL");
      } catch {
        /* the group already exited */
      }
  };
  const baseURL = `http://localhost:${port}`;
  const started = performance.now();
  const deadline = Date.now() + 15 * 60_000; // a cold `next build` on a small machine takes minutes
  for (;;) {
    if (exited !== undefined)
      throw new Error(`the server exited (code ${exited}) before answering; log:\n${tail(logFile)}`);
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`the server did not answer /login within 15 min; log:\n${tail(logFile)}`);
    }
    const status = await fetch(`${baseURL}/login`, { redirect: "manual" }).then(
      (r) => r.status,
      () => 0,
    );
    if (status > 0 && status < 500) break;
    await sleep(500);
  }
  const built = /Building Phalanx/.test(readFileSync(logFile, "utf8"));
  log(
    `server: ${baseURL} answered /login after ${((performance.now() - started) / 1000).toFixed(1)} s${built ? " (the build was stale: next build ran first)" : " (build up to date)"}`,
  );
  return { process: child, baseURL, logFile, stop };
}

export function tail(file: string, lines = 40): string {
  try {
    return readFileSync(file, "utf8").split("\n").slice(-lines).join("\n");
  } catch {
    return "(no log)";
  }
}

/** The JSON of a successful answer of our own API, or an error naming the request. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- JSON answers of our own API
export async function ok(response: Awaited<ReturnType<APIRequestContext["post"]>>): Promise<any> {
  if (!response.ok()) throw new Error(`${response.url()} answered ${response.status()}: ${await response.text()}`);
  return response.json();
}
