import { randomBytes } from "node:crypto";
import { existsSync, mkdtempSync, readdirSync, rmSync, statSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { dataDir } from "@/lib/env";
import { localStorage, storage } from "@/lib/server/storage/storage";

const root = mkdtempSync(path.join(os.tmpdir(), "phalanx-storage-test-"));
afterAll(() => rmSync(root, { recursive: true, force: true }));

const store = localStorage(root);
const filesUnder = (dir: string) =>
  readdirSync(dir, { recursive: true, withFileTypes: true }).filter((e) => e.isFile()).map((e) => path.join(e.parentPath, e.name));

describe("local storage", () => {
  it("returns the exact bytes that were put, under nested keys", async () => {
    const bytes = randomBytes(64 * 1024);
    await store.put("projects/p1/images/abc/original.jpg", bytes);
    expect((await store.get("projects/p1/images/abc/original.jpg")).equals(bytes)).toBe(true);
    expect(existsSync(path.join(root, "projects/p1/images/abc/original.jpg"))).toBe(true);
  });

  it("replaces a file when the same key is put again", async () => {
    await store.put("replace/me.bin", Buffer.from("first version, longer"));
    await store.put("replace/me.bin", Buffer.from("second"));
    expect((await store.get("replace/me.bin")).toString()).toBe("second");
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

  it("refuses keys that could escape the storage folder, for every operation", async () => {
    const bad = ["../outside.txt", "a/../../outside.txt", "a/..", "..", "/etc/passwd", "", ".hidden", "a\\b", "a b", "ü.txt"];
    // get/remove throw synchronously today (not async functions); the later() wrapper accepts both.
    const later = <T>(call: () => Promise<T>) => Promise.resolve().then(call);
    for (const key of bad) {
      await expect(later(() => store.put(key, Buffer.from("x"))), key).rejects.toThrow(/Invalid storage key/);
      await expect(later(() => store.get(key)), key).rejects.toThrow(/Invalid storage key/);
      await expect(later(() => store.remove(key)), key).rejects.toThrow(/Invalid storage key/);
    }
    expect(existsSync(path.join(path.dirname(root), "outside.txt"))).toBe(false);
  });

  it("removes files, and removing a missing key is not an error", async () => {
    await store.put("gone/soon.txt", Buffer.from("bye"));
    await store.remove("gone/soon.txt");
    await expect(store.get("gone/soon.txt")).rejects.toMatchObject({ code: "ENOENT" });
    await expect(store.remove("gone/never-existed.txt")).resolves.toBeUndefined();
  });

  it("the default storage lives in the data folder and is one shared instance", async () => {
    expect(storage()).toBe(storage());
    await storage().put("default/check.txt", Buffer.from("hello"));
    expect(existsSync(path.join(dataDir(), "storage", "default", "check.txt"))).toBe(true);
    expect((await storage().get("default/check.txt")).toString()).toBe("hello");
  });
});
