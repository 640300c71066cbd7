/** Node side of lib/assist/landmark-runner.ts: the committed model files and the installed wasm backend, from disk. */
import { readFileSync } from "node:fs";
import path from "node:path";
import { loadLandmarkNet, type TLoadedNet } from "./landmark-runner";

export function landmarkModelFiles(root: string) {
  return {
    json: path.join(root, "public/models/handlandmark/handlandmark-full.json"),
    weights: path.join(root, "public/models/handlandmark/handlandmark-full.bin"),
    wasm: path.join(root, "node_modules/@tensorflow/tfjs-backend-wasm/dist") + path.sep,
  };
}

export async function loadLandmarkNetFromDisk(root: string): Promise<TLoadedNet> {
  const files = landmarkModelFiles(root);
  const bin = readFileSync(files.weights);
  const weights = bin.buffer.slice(bin.byteOffset, bin.byteOffset + bin.byteLength) as ArrayBuffer;
  return loadLandmarkNet({ json: JSON.parse(readFileSync(files.json, "utf8")), weights }, files.wasm);
}
