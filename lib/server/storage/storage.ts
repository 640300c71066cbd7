import "server-only";
import { mkdir, readFile, rename, rm, writeFile, copyFile, chmod, access, readdir, stat, link } from "node:fs/promises";
import { createReadStream } from "node:fs";
import type { Readable } from "node:stream";
import path from "node:path";
import { randomUUID } from "node:crypto";
import { dataDir, env, type TEnv } from "@/lib/env";
import { assertStorageKey } from "./keys";
import { s3Storage } from "./s3-storage";

export { assertStorageKey, storageKeyNotFound } from "./keys";

/**
 * Private blob storage (originals, derivatives, consent forms, export archives). Keys are opaque
 * paths; nothing here is reachable by URL: files leave only through authorised route handlers.
 * The local folder is the embedded default; S3-compatible storage plugs in behind the same calls.
 *
 * Contract (both back ends, see storage.test.ts): `put` replaces; `get` of a missing key rejects
 * with an error whose `code` is "ENOENT"; `remove` of a missing key succeeds; keys failing
 * {@link assertStorageKey} are refused by every operation.
 */
export type TStorage = {
  put(key: string, bytes: Buffer): Promise<void>;
  get(key: string): Promise<Buffer>;
  remove(key: string): Promise<void>;
  /** Stores a local file without reading it into memory (export archives); the caller may remove the file
   *  afterwards but not change it (the local folder may link it rather than copy it). */
  putFile(key: string, filename: string): Promise<void>;
  /** Reads an object as a stream (downloads of large archives). */
  getStream(key: string): Promise<Readable>;
  /** Every stored object, `.part` leftovers of interrupted writes included (lib/server/storage/reconcile.ts). */
  list(): AsyncIterable<TStoredObject>;
  /** Removes a listed object, even one whose name is not a valid key (a `.part` leftover). */
  removeRaw(listedKey: string): Promise<void>;
};

export type TStoredObject = { key: string; modifiedAt: Date };

export function localStorage(root = path.join(dataDir(), "storage")): TStorage {
  const fileOf = (key: string) => {
    assertStorageKey(key);
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
    async putFile(key, filename) {
      const file = fileOf(key);
      await mkdir(path.dirname(file), { recursive: true });
      const temp = `${file}.${randomUUID()}.part`;
      // A hard link when the file is on the same file system (an export's zip, written under the data dir):
      // no second pass over gigabytes; the caller's file stays where it was, as with a copy.
      await link(filename, temp).catch(() => copyFile(filename, temp));
      await chmod(temp, 0o600);
      await rename(temp, file);
    },
    async getStream(key) {
      const file = fileOf(key);
      await access(file); // a missing key rejects with ENOENT, as `get` does
      return createReadStream(file);
    },
    async *list() {
      // A runtime data folder, not a build asset: nothing for the bundler to trace.
      const entries = await readdir(/* turbopackIgnore: true */ root, { recursive: true, withFileTypes: true }).catch(
        () => [],
      );
      for (const entry of entries) {
        if (!entry.isFile()) continue;
        const file = path.join(entry.parentPath, entry.name);
        yield { key: path.relative(root, file).split(path.sep).join("/"), modifiedAt: (await stat(file)).mtime };
      }
    },
    async removeRaw(listedKey) {
      if (path.isAbsolute(listedKey) || listedKey.split("/").includes(".."))
        throw new Error(`Not under the storage folder: ${listedKey}`);
      await rm(path.join(root, listedKey), { force: true });
    },
  };
}

type TStorageConfig = Pick<
  TEnv,
  | "PHALANX_STORAGE"
  | "S3_ENDPOINT"
  | "S3_REGION"
  | "S3_BUCKET"
  | "S3_ACCESS_KEY_ID"
  | "S3_SECRET_ACCESS_KEY"
  | "S3_FORCE_PATH_STYLE"
>;

/**
 * The storage the configuration asks for. `PHALANX_STORAGE=s3` needs S3_BUCKET, S3_ACCESS_KEY_ID and
 * S3_SECRET_ACCESS_KEY (S3_ENDPOINT only for non-AWS servers); missing ones fail at once, named.
 */
export function storageFromConfig(config: TStorageConfig, localRoot?: string): TStorage {
  if (config.PHALANX_STORAGE === "local") return localStorage(localRoot);
  const required = ["S3_BUCKET", "S3_ACCESS_KEY_ID", "S3_SECRET_ACCESS_KEY"] as const;
  const missing = required.filter((name) => !config[name]);
  if (missing.length > 0) {
    throw new Error(`Invalid configuration: PHALANX_STORAGE=s3 needs ${missing.join(", ")} (missing or empty)`);
  }
  return s3Storage({
    bucket: config.S3_BUCKET!,
    endpoint: config.S3_ENDPOINT,
    region: config.S3_REGION,
    accessKeyId: config.S3_ACCESS_KEY_ID!,
    secretAccessKey: config.S3_SECRET_ACCESS_KEY!,
    forcePathStyle: config.S3_FORCE_PATH_STYLE === "1",
  });
}

let instance: TStorage | undefined;
/** The process-wide storage chosen by PHALANX_STORAGE (local folder under the data dir by default). */
export function storage(): TStorage {
  instance ??= storageFromConfig(env());
  return instance;
}
