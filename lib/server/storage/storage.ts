import "server-only";
import { mkdir, readFile, rename, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import { randomUUID } from "node:crypto";
import { dataDir } from "@/lib/env";

/**
 * Private blob storage (originals, derivatives, consent forms, export archives). Keys are opaque
 * paths; nothing here is reachable by URL: files leave only through authorised route handlers.
 * The local folder is the embedded default; S3-compatible storage plugs in behind the same calls.
 */
export type TStorage = {
  put(key: string, bytes: Buffer): Promise<void>;
  get(key: string): Promise<Buffer>;
  remove(key: string): Promise<void>;
};

const KEY_PATTERN = /^[a-z0-9][a-z0-9/_.-]*$/i;

export function localStorage(root = path.join(dataDir(), "storage")): TStorage {
  const fileOf = (key: string) => {
    if (!KEY_PATTERN.test(key) || key.includes("..")) throw new Error(`Invalid storage key: ${key}`);
    return path.join(root, key);
  };
  return {
    async put(key, bytes) {
      const file = fileOf(key);
      await mkdir(path.dirname(file), { recursive: true });
      // Write then rename: a crash never leaves a half-written file under the real key.
      const temp = `${file}.${randomUUID()}.part`;
      await writeFile(temp, bytes, { mode: 0o600 });
      await rename(temp, file);
    },
    async get(key) {
      return readFile(fileOf(key));
    },
    async remove(key) {
      await rm(fileOf(key), { force: true });
    },
  };
}

let instance: TStorage | undefined;
export function storage(): TStorage {
  instance ??= localStorage();
  return instance;
}
