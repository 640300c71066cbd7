#!/usr/bin/env node
/**
 * Copies the files of the npm package `@mediapipe/hands` into `public/mediapipe/`, so the workspace's
 * "Detect hands" runs the model from this app's own origin (no request leaves the app). Run from
 * `postinstall`; the folder is gitignored (the files come from the package, they are not committed).
 *
 * Tolerant: when the package is missing (e.g. `npm ci --omit` of it, or a broken install) it warns and
 * exits 0 — the app then works without model assistance and the workspace says so.
 */
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import path from "node:path";

const root = path.resolve(import.meta.dirname, "..");
const source = path.join(root, "node_modules", "@mediapipe", "hands");
const target = path.join(root, "public", "mediapipe");
/** Served to the browser: the solution's script, its wasm builds, the graph and the models. */
const SERVED = /\.(js|wasm|data|tflite|binarypb)$/;

try {
  if (!existsSync(path.join(source, "hands.js"))) {
    console.warn(
      "copy-mediapipe: @mediapipe/hands is not installed; model-assisted labelling (Detect hands) will be unavailable.",
    );
    process.exit(0);
  }
  const { version } = JSON.parse(readFileSync(path.join(source, "package.json"), "utf8"));
  mkdirSync(target, { recursive: true });
  let copied = 0;
  let bytes = 0;
  for (const name of readdirSync(source)) {
    if (!SERVED.test(name)) continue;
    const from = path.join(source, name);
    const to = path.join(target, name);
    const size = statSync(from).size;
    // Unchanged files are left alone, so an install does not touch their mtimes (and make the build look stale).
    if (existsSync(to) && statSync(to).size === size && readFileSync(to).equals(readFileSync(from))) continue;
    copyFileSync(from, to);
    copied++;
    bytes += size;
  }
  const versionFile = path.join(target, "VERSION");
  if (!existsSync(versionFile) || readFileSync(versionFile, "utf8").trim() !== version)
    writeFileSync(versionFile, `${version}\n`);
  console.log(
    `copy-mediapipe: @mediapipe/hands ${version} → public/mediapipe/ (${copied} file(s) updated, ${(bytes / 1e6).toFixed(1)} MB)`,
  );
} catch (error) {
  console.warn(
    `copy-mediapipe: could not copy the model files (${error instanceof Error ? error.message : error}); Detect hands will be unavailable.`,
  );
}
