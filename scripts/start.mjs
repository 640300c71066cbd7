#!/usr/bin/env node
/**
 * `npm start`: prepare the database (migrate, first admin, demo), build when the build is missing
 * or older than the sources, then serve (scripts/server.mjs, Next behind a plain Node server) and say where to sign in.
 */
import { spawn, spawnSync } from "node:child_process";
import { existsSync, readdirSync, statSync } from "node:fs";
import path from "node:path";

const root = path.resolve(import.meta.dirname, "..");
const port = process.env.PORT || "3000";
// Fewer malloc arenas: sharp's threads otherwise fragment memory (peak RSS about a third lower in bench/ingest.ts).
const childEnv = { MALLOC_ARENA_MAX: "2", ...process.env, NEXT_TELEMETRY_DISABLED: "1", AUTH_TRUST_HOST: "true" };

function run(command, args, env = childEnv) {
  const result = spawnSync(command, args, { cwd: root, stdio: "inherit", env });
  if (result.status !== 0) process.exit(result.status ?? 1);
}

function newestSourceMtime(dirs) {
  let newest = 0;
  const walk = (dir) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      if (entry.name === "node_modules" || entry.name === "generated" || entry.name.startsWith(".")) continue;
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else newest = Math.max(newest, statSync(full).mtimeMs);
    }
  };
  for (const dir of dirs) if (existsSync(path.join(root, dir))) walk(path.join(root, dir));
  for (const file of ["next.config.js", "package.json", "package-lock.json"]) {
    if (existsSync(path.join(root, file))) newest = Math.max(newest, statSync(path.join(root, file)).mtimeMs);
  }
  return newest;
}

const prepareEnv = { ...childEnv, NODE_ENV: "production" };
run(process.execPath, ["--conditions=react-server", "--import", "tsx", "scripts/prepare.ts"], prepareEnv);

const buildId = path.join(root, ".next", "BUILD_ID");
const stale =
  !existsSync(buildId) || statSync(buildId).mtimeMs < newestSourceMtime(["app", "components", "lib", "public"]);
if (stale) {
  console.log("Building Phalanx (next build)…");
  run(process.execPath, [path.join(root, "node_modules/next/dist/bin/next"), "build"], prepareEnv);
}

// scripts/server.mjs rather than `next start`: it tells the app each request's socket address (throttling).
const server = spawn(process.execPath, [path.join(root, "scripts/server.mjs")], {
  cwd: root,
  stdio: ["inherit", "pipe", "inherit"],
  env: { ...prepareEnv, PORT: port },
});
let announced = false;
server.stdout.on("data", (chunk) => {
  process.stdout.write(chunk);
  if (!announced && /Ready in|started server/i.test(String(chunk))) {
    announced = true;
    console.log(`\nPhalanx is running: sign in at http://localhost:${port}/login\n`);
  }
});
for (const signal of ["SIGINT", "SIGTERM"]) process.on(signal, () => server.kill(signal));
server.on("exit", (code) => process.exit(code ?? 0));
