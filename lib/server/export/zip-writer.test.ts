import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";
import { gzipSync } from "node:zlib";
import { afterEach, describe, expect, it } from "vitest";
import yauzl from "yauzl";
import { unzip } from "@/test/unzip";
import { createZipWriter } from "./zip-writer";

setFlagsFromString("--expose-gc");
const gc = runInNewContext("gc") as () => void;

describe("zip writer", () => {
  const dirs: string[] = [];
  afterEach(() => dirs.splice(0).forEach((dir) => rmSync(dir, { recursive: true, force: true })));
  const zipFile = () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), "phalanx-zip-"));
    dirs.push(dir);
    return path.join(dir, "a.zip");
  };

  it("lets go of a stored entry's bytes once they are in the file, long before the archive ends", async () => {
    const writer = createZipWriter(zipFile());
    const refs: WeakRef<Buffer>[] = [];
    const add = (name: string) => {
      const bytes = Buffer.alloc(4 * 2 ** 20, refs.length + 1);
      refs.push(new WeakRef(bytes));
      writer.addBuffer(name, bytes, { compress: false });
    };
    // One queued behind an entry still being streamed (written when its turn comes), one written as it is added.
    const open = writer.stream("first.json");
    add("queued.jpg");
    await open.write("{}");
    open.end();
    await writer.room(0);
    add("direct.jpg");
    for (let wait = 0; wait < 50 && refs.some((ref) => ref.deref()); wait++) {
      await writer.room(0);
      await new Promise((resolve) => setTimeout(resolve, 10));
      gc();
    }
    expect(refs.map((ref) => ref.deref() === undefined)).toEqual([true, true]);
    await writer.finish();
  });

  it("writes every entry whole, with the sha256 and size the manifest records", async () => {
    const file = zipFile();
    const writer = createZipWriter(file);
    const image = Buffer.from("not really a jpeg, but bytes all the same");
    writer.addBuffer("images/train/a.jpg", image, { compress: false });
    await writer.room(0);
    writer.addBuffer("labels/train/a.txt", Buffer.from("0 0.5 0.5 0.1 0.1\n"));
    await writer.finish();
    const files = await unzip(readFileSync(file));
    expect(files.get("images/train/a.jpg")).toEqual(image);
    expect(files.get("labels/train/a.txt")!.toString()).toBe("0 0.5 0.5 0.1 0.1\n");
    expect(writer.files.map((f) => [f.path, f.bytes])).toEqual([
      ["images/train/a.jpg", image.length],
      ["labels/train/a.txt", 18],
    ]);
  });

  it("keeps every entry, in order, when written entries are set aside while many more are added", async () => {
    // The writer takes written entries out of yazl's list as it goes (yazl scans the list for every entry) and
    // hands them back for the central directory: streamed and buffered entries, some queued, all must be there.
    const file = zipFile();
    const writer = createZipWriter(file);
    const names: string[] = [];
    for (let i = 0; i < 600; i++) {
      const name = `images/train/${String(i).padStart(4, "0")}.jpg`;
      names.push(name);
      if (i % 50 === 0) {
        const entry = writer.stream(name);
        await entry.write(`streamed ${i}`);
        entry.end();
        await entry.taken();
      } else writer.addBuffer(name, Buffer.from(`buffered ${i}`), { compress: i % 3 === 0 });
      if (i % 7 === 0) await writer.room(0);
    }
    await writer.finish();
    const files = await unzip(readFileSync(file));
    expect([...files.keys()]).toEqual(names);
    expect(names.map((name) => files.get(name)!.toString())).toEqual(
      names.map((_, i) => `${i % 50 === 0 ? "streamed" : "buffered"} ${i}`),
    );
  });

  it("records each entry's CRC-32 as zlib computes it (what unzip checks), buffered and streamed in chunks", async () => {
    const file = zipFile();
    const writer = createZipWriter(file);
    const image = Buffer.from(Array.from({ length: 70_000 }, (_, i) => (i * 7919) % 251));
    writer.addBuffer("images/train/a.jpg", image, { compress: false });
    const streamed = writer.stream("phalanx.json");
    for (let i = 0; i < 5; i++) await streamed.write(image.subarray(i * 14_000, (i + 1) * 14_000));
    streamed.end();
    await writer.finish();
    // A gzip member ends with the CRC-32 of its data (little-endian), computed by zlib on its own.
    const expected = gzipSync(image).readUInt32LE(gzipSync(image).length - 8);
    const recorded = await new Promise<number[]>((resolve, reject) =>
      yauzl.fromBuffer(readFileSync(file), { lazyEntries: false }, (error, zip) => {
        if (error || !zip) return reject(error);
        const crcs: number[] = [];
        zip.on("entry", (entry: yauzl.Entry) => crcs.push(entry.crc32));
        zip.on("end", () => resolve(crcs));
      }),
    );
    expect(recorded).toEqual([expected, expected]);
  });
});
