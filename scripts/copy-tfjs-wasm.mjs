#!/usr/bin/env node
/**
 * Copies the WebAssembly binaries of `@tensorflow/tfjs-backend-wasm` into `public/tfjs/`, so region assist
 * (lib/assist/landmark-runner.ts, setWasmPaths("/tfjs/")) runs from this app's own origin. Run from
 * `postinstall`; the folder is gitignored. The hand-landmark model itself is committed under
 * public/models/handlandmark/ (see PROVENANCE.md there).
 *
 * Tolerant like copy-mediapipe.mjs: when the package is missing it warns and exits 0 — the workspace then
 * says region assist is unavailable and manual labelling works as usual.
 */
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import path from "node:path";

const root = path.resolve(import.meta.dirname, "..");
const source = path.join(root, "node_modules", "@tensorflow", "tfjs-backend-wasm", "dist");
const target = path.join(root, "public", "tfjs");

try {
  if (!existsSync(source)) {
    console.warn("copy-tfjs-wasm: @tensorflow/tfjs-backend-wasm is not installed; region assist will be unavailable.");
    process.exit(0);
  }
  const { version } = JSON.parse(readFileSync(path.join(source, "..", "package.json"), "utf8"));
  mkdirSync(target, { recursive: true });
  let copied = 0;
  for (const name of readdirSync(source)) {
    if (!name.endsWith(".wasm")) continue;
    const from = path.join(source, name);
    const to = path.join(target, name);
    if (existsSync(to) && statSync(to).size === statSync(from).size && readFileSync(to).equals(readFileSync(from)))
      continue;
    copyFileSync(from, to);
    copied++;
  }
  writeFileSync(path.join(target, "VERSION"), `${version}\n`);
  console.log(`copy-tfjs-wasm: @tensorflow/tfjs-backend-wasm ${version} → public/tfjs/ (${copied} file(s) updated)`);
} catch (error) {
  console.warn(
    `copy-tfjs-wasm: could not copy the wasm files (${error instanceof Error ? error.message : error}); region assist will be unavailable.`,
  );
}
