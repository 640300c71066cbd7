#!/usr/bin/env node
/**
 * `npm run bench`: runs every bench/*.ts in its own Node process (TypeScript through tsx, with the
 * react-server condition so `server-only` modules load outside Next.js), one after another.
 * `npm run bench -- ingest` runs only the files whose name contains "ingest"; arguments starting with "--"
 * (e.g. `npm run bench -- scale --sqlite=10000`) are passed to each benchmark run.
 */
import { spawnSync } from "node:child_process";
import { readdirSync } from "node:fs";
import path from "node:path";

const filters = process.argv.slice(2).filter((arg) => !arg.startsWith("--"));
const options = process.argv.slice(2).filter((arg) => arg.startsWith("--"));
const files = readdirSync("bench")
  .filter((name) => name.endsWith(".ts") && !name.endsWith(".d.ts"))
  .filter((name) => filters.length === 0 || filters.some((filter) => name.includes(filter)))
  .sort();
if (files.length === 0) {
  console.error(`No benchmark in bench/ matches ${filters.join(", ") || "*.ts"}`);
  process.exit(1);
}

let failed = 0;
for (const name of files) {
  console.log(`\n=== bench/${name} ===`);
  const started = Date.now();
  const { status } = spawnSync(
    process.execPath,
    ["--conditions=react-server", "--import", "tsx", path.join("bench", name), ...options],
    {
      stdio: "inherit",
      // Same malloc setting as `npm start` (scripts/start.mjs): sharp's threads fragment glibc arenas otherwise.
      env: { MALLOC_ARENA_MAX: "2", ...process.env, NODE_ENV: process.env.NODE_ENV ?? "production" },
    },
  );
  console.log(
    `=== bench/${name}: ${status === 0 ? "done" : `FAILED (exit ${status})`} in ${((Date.now() - started) / 1000).toFixed(0)} s ===`,
  );
  if (status !== 0) failed++;
}
process.exit(failed === 0 ? 0 : 1);
