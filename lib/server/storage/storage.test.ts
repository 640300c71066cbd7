import { randomBytes } from "node:crypto";
import { existsSync, mkdtempSync, readdirSync, rmSync, statSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { dataDir, env } from "@/lib/env";
import { localStorage, storage, storageFromConfig, type TStorage } from "@/lib/server/storage/storage";
import { s3Storage } from "@/lib/server/storage/s3-storage";
import { startS3Server, type TS3TestServer } from "@/test/s3-server";

const root = mkdtempSync(path.join(os.tmpdir(), "phalanx-storage-test-"));
afterAll(() => rmSync(root, { recursive: true, force: true }));

const store = localStorage(root);
const filesUnder = (dir: string) =>
  readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => path.join(e.parentPath, e.name));

let s3: TS3TestServer;
beforeAll(async () => {
  s3 = await startS3Server();
});
afterAll(async () => s3?.stop());

const s3Config = () => ({
  PHALANX_STORAGE: "s3" as const,
  S3_ENDPOINT: s3.endpoint,
  S3_REGION: s3.region,
  S3_BUCKET: s3.bucket,
  S3_ACCESS_KEY_ID: s3.accessKeyId,
  S3_SECRET_ACCESS_KEY: s3.secretAccessKey,
  S3_FORCE_PATH_STYLE: "1" as const,
});

/** The behaviour every TStorage back end must share; run against real servers, no mocks. */
const backends: [string, () => TStorage][] = [
  ["local", () => store],
  ["s3 (s3rver)", () => storageFromConfig(s3Config())],
];

describe.each(backends)("storage contract: %s", (_name, make) => {
  let subject: TStorage;
  beforeAll(() => {
    subject = make();
  });

  it("returns the exact bytes that were put, under nested keys", async () => {
    const bytes = randomBytes(64 * 1024);
    await subject.put("contract/projects/p1/images/abc/original.jpg", bytes);
    expect((await subject.get("contract/projects/p1/images/abc/original.jpg")).equals(bytes)).toBe(true);
  });

  it("stores a file and streams it back without whole-object buffers, and streams of missing keys reject with ENOENT", async () => {
    const { mkdtempSync, writeFileSync } = await import("node:fs");
    const os = await import("node:os");
    const pathModule = await import("node:path");
    const file = pathModule.join(mkdtempSync(pathModule.join(os.tmpdir(), "phalanx-putfile-")), "archive.zip");
    const bytes = randomBytes(3 * 1024 * 1024 + 5);
    writeFileSync(file, bytes);
    await subject.putFile("contract/exports/archive.zip", file);
    const chunks: Buffer[] = [];
    for await (const chunk of await subject.getStream("contract/exports/archive.zip")) chunks.push(Buffer.from(chunk));
    expect(Buffer.concat(chunks).equals(bytes)).toBe(true);
    await expect(subject.getStream("contract/exports/missing.zip")).rejects.toMatchObject({ code: "ENOENT" });
  });

  it("stores empty and multi-megabyte blobs intact", async () => {
    await subject.put("contract/empty.bin", Buffer.alloc(0));
    expect((await subject.get("contract/empty.bin")).length).toBe(0);
    const big = randomBytes(5 * 1024 * 1024 + 17);
    await subject.put("contract/big.bin", big);
    expect((await subject.get("contract/big.bin")).equals(big)).toBe(true);
  });

  it("replaces a blob when the same key is put again", async () => {
    await subject.put("contract/replace/me.bin", Buffer.from("first version, longer"));
    await subject.put("contract/replace/me.bin", Buffer.from("second"));
    expect((await subject.get("contract/replace/me.bin")).toString()).toBe("second");
  });

  it("after concurrent puts to one key, holds exactly one of the versions", async () => {
    const versions = Array.from({ length: 8 }, (_, i) => Buffer.alloc(32 * 1024, i));
    await Promise.all(versions.map((bytes) => subject.put("contract/race/one.bin", bytes)));
    const stored = await subject.get("contract/race/one.bin");
    expect(versions.some((bytes) => bytes.equals(stored))).toBe(true);
  });

  it("refuses keys that could escape the storage root, for every operation", async () => {
    const bad = [
      "../outside.txt",
      "a/../../outside.txt",
      "a/..",
      "..",
      "/etc/passwd",
      "",
      ".hidden",
      "a\\b",
      "a b",
      "ü.txt",
    ];
    // Local get/remove throw synchronously (not async functions); the later() wrapper accepts both.
    const later = <T>(call: () => Promise<T>) => Promise.resolve().then(call);
    for (const key of bad) {
      await expect(
        later(() => subject.put(key, Buffer.from("x"))),
        key,
      ).rejects.toThrow(/Invalid storage key/);
      await expect(
        later(() => subject.get(key)),
        key,
      ).rejects.toThrow(/Invalid storage key/);
      await expect(
        later(() => subject.remove(key)),
        key,
      ).rejects.toThrow(/Invalid storage key/);
    }
  });

  it("removes blobs; getting a missing key rejects with code ENOENT; removing one is not an error", async () => {
    await subject.put("contract/gone/soon.txt", Buffer.from("bye"));
    await subject.remove("contract/gone/soon.txt");
    await expect(subject.get("contract/gone/soon.txt")).rejects.toMatchObject({ code: "ENOENT" });
    await expect(subject.get("contract/never/existed.txt")).rejects.toMatchObject({ code: "ENOENT" });
    await expect(subject.remove("contract/gone/never-existed.txt")).resolves.toBeUndefined();
  });
});

describe("local storage", () => {
  it("keeps blobs as files under its root", async () => {
    await store.put("projects/p1/images/abc/original.jpg", Buffer.from("jpeg"));
    expect(existsSync(path.join(root, "projects/p1/images/abc/original.jpg"))).toBe(true);
  });

  it("leaves no .part files behind, also after concurrent puts to one key", async () => {
    const versions = Array.from({ length: 8 }, (_, i) => Buffer.alloc(32 * 1024, i));
    await Promise.all(versions.map((bytes) => store.put("race/one.bin", bytes)));
    const stored = await store.get("race/one.bin");
    expect(versions.some((bytes) => bytes.equals(stored))).toBe(true);
    expect(filesUnder(root).filter((file) => file.endsWith(".part"))).toEqual([]);
  });

  it("writes files readable by the owner only", async () => {
    if (process.platform === "win32") return;
    await store.put("private/file.bin", Buffer.from("x"));
    expect(statSync(path.join(root, "private/file.bin")).mode & 0o077).toBe(0);
  });

  it("never writes outside its root for a refused key", async () => {
    await expect(Promise.resolve().then(() => store.put("../outside.txt", Buffer.from("x")))).rejects.toThrow(
      /Invalid storage key/,
    );
    expect(existsSync(path.join(path.dirname(root), "outside.txt"))).toBe(false);
  });

  it("the default storage lives in the data folder and is one shared instance", async () => {
    expect(env().PHALANX_STORAGE).toBe("local");
    expect(storage()).toBe(storage());
    await storage().put("default/check.txt", Buffer.from("hello"));
    expect(existsSync(path.join(dataDir(), "storage", "default", "check.txt"))).toBe(true);
    expect((await storage().get("default/check.txt")).toString()).toBe("hello");
  });
});

describe("S3 storage", () => {
  it("writes objects under their key in the configured bucket, with an optional prefix", async () => {
    const prefixed = s3Storage({ ...s3Client(), prefix: "tenant-a/" });
    await prefixed.put("projects/p9/images/x/thumb.jpg", Buffer.from("thumb"));
    expect(await s3.listKeys("tenant-a/")).toEqual(["tenant-a/projects/p9/images/x/thumb.jpg"]);
    await prefixed.remove("projects/p9/images/x/thumb.jpg");
    expect(await s3.listKeys("tenant-a/")).toEqual([]);
  });

  // Privacy of objects is the bucket's (private by default, no ACL is ever sent); s3rver does not
  // enforce ACLs on unsigned GETs, so that part cannot be checked against it.

  it("reports a wrong bucket as an error, not as a missing key", async () => {
    const subject = s3Storage({ ...s3Client(), bucket: "no-such-bucket" });
    const error = await subject.get("a/b.txt").catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Error);
    expect((error as { code?: string }).code).not.toBe("ENOENT");
  });

  it("PHALANX_STORAGE=s3 names every missing variable at once", () => {
    const base = { PHALANX_STORAGE: "s3" as const, S3_REGION: "us-east-1", S3_FORCE_PATH_STYLE: "1" as const };
    expect(() => storageFromConfig(base)).toThrow(
      "Invalid configuration: PHALANX_STORAGE=s3 needs S3_BUCKET, S3_ACCESS_KEY_ID, S3_SECRET_ACCESS_KEY (missing or empty)",
    );
    expect(() => storageFromConfig({ ...base, S3_BUCKET: "b", S3_ACCESS_KEY_ID: "k" })).toThrow(
      /needs S3_SECRET_ACCESS_KEY \(/,
    );
  });

  it("PHALANX_STORAGE=local ignores S3 settings", async () => {
    const local = storageFromConfig({ ...s3Config(), PHALANX_STORAGE: "local" }, root);
    await local.put("from-config/x.txt", Buffer.from("local"));
    expect(existsSync(path.join(root, "from-config/x.txt"))).toBe(true);
  });
});

function s3Client() {
  return {
    bucket: s3.bucket,
    endpoint: s3.endpoint,
    region: s3.region,
    accessKeyId: s3.accessKeyId,
    secretAccessKey: s3.secretAccessKey,
    forcePathStyle: true,
  };
}
