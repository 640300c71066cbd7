import "server-only";
import { createHash } from "node:crypto";
import { createReadStream, createWriteStream } from "node:fs";
import { once } from "node:events";
import { PassThrough, type Duplex } from "node:stream";
import { createRequire } from "node:module";
import { crc32 } from "node:zlib";
import yazl from "yazl";

// yazl takes every entry's CRC-32 from buffer-crc32, a table lookup in JavaScript (≈ 220 MB/s here, most of the
// archive format's cost per byte); zlib's native one gives the same values at ≈ 5 GB/s. yazl passes a Buffer and
// the running CRC (a number). The CommonJS instance is the one yazl requires (an `import` would load the package's
// separate ES build); next.config keeps buffer-crc32 external so that the app's bundle shares it too.
const bufferCrc32 = createRequire(import.meta.url)("buffer-crc32") as {
  unsigned(bytes: Buffer | string, previous?: Buffer | number): number;
};
bufferCrc32.unsigned = (bytes, previous) =>
  crc32(bytes, typeof previous === "number" ? previous : (previous?.readUInt32BE(0) ?? 0));

export type TZipFile = { path: string; sha256: string; bytes: number };

/** What forgetBytesOnceWritten touches of a yazl entry (yazl 3: the entries list, each entry's state and pump). */
type TYazlEntry = { state: number; doFileDataPump?: () => void; setFileDataPumpFunction(pump: () => void): void };
/** yazl's Entry.FILE_DATA_IN_PROGRESS: a buffer entry in this state or later has written its bytes. */
const YAZL_PUMP_STARTED = 2;
/** yazl's Entry.FILE_DATA_DONE: the entry's local header and data are in the archive; only its central directory
 * record (written at the end, from the entry) is left. */
const YAZL_DATA_DONE = 3;

/**
 * yazl keeps every entry until the archive ends (for the central directory), and a buffer entry's pump function
 * holds the entry's bytes: an export of N images would hold all N in memory. The entry lets go of its pump (and
 * the bytes) once it has run: at once when yazl wrote it while adding it (a stored entry with nothing queued
 * before it), else when it runs (later in the queue, or after deflating).
 */
function forgetBytesOnceWritten(entry: TYazlEntry) {
  const once = (pump: () => void) => () => {
    entry.doFileDataPump = undefined;
    pump();
  };
  if (entry.state >= YAZL_PUMP_STARTED) entry.doFileDataPump = undefined;
  else if (entry.doFileDataPump) entry.doFileDataPump = once(entry.doFileDataPump);
  else {
    const set = entry.setFileDataPumpFunction.bind(entry);
    entry.setFileDataPumpFunction = (pump) => set(once(pump));
  }
}

/**
 * A zip written incrementally to a file (yazl), recording the sha256 and size of every entry for
 * the manifest. Streamed entries (large JSON) never sit whole in memory.
 */
export function createZipWriter(filename: string) {
  const zip = new yazl.ZipFile();
  // yazl looks for the next entry to write by scanning its whole list from the first entry, every time: quadratic in
  // the entries (bench/zip.ts). Entries already written are set aside, in order, and handed back before the end,
  // when yazl writes the central directory from the full list.
  const yazlEntries = zip as unknown as { entries: TYazlEntry[] };
  const written: TYazlEntry[] = [];
  const setAsideWritten = () => {
    let done = 0;
    while (done < yazlEntries.entries.length && yazlEntries.entries[done]!.state >= YAZL_DATA_DONE) done++;
    for (const entry of yazlEntries.entries.splice(0, done)) written.push(entry);
  };
  const out = createWriteStream(filename);
  zip.outputStream.pipe(out);
  const files: TZipFile[] = [];
  // Settles when the file can take no more (closed or failed), so nobody waits for an entry that will never be read.
  const fileGone = new Promise<void>((resolve) => {
    out.once("close", () => resolve());
    out.once("error", () => resolve());
  });
  return {
    files,
    /**
     * `compress: false` for JPEGs: deflating compressed images costs CPU and gains nothing. `sha256`: the bytes'
     * hash when the caller already knows it (an export cache copy names its own), else it is computed here.
     */
    addBuffer(path: string, bytes: Buffer, options: { compress?: boolean; sha256?: string } = {}) {
      setAsideWritten();
      zip.addBuffer(bytes, path, { compress: options.compress ?? true });
      forgetBytesOnceWritten(yazlEntries.entries.at(-1)!);
      const sha256 = options.sha256 ?? createHash("sha256").update(bytes).digest("hex");
      files.push({ path, sha256, bytes: bytes.length });
    },
    /**
     * Settles once at most `maxBytes` of the archive wait in memory to be written to the file (or the file is
     * gone). yazl writes a buffer entry out at once, without waiting for the file: a writer adding many
     * (the export's images) waits on this to stay a bounded distance ahead of the disk.
     */
    async room(maxBytes: number): Promise<void> {
      // yazl's output is a PassThrough (what it wrote and what the file has not taken yet) piped into the file.
      const output = zip.outputStream as Duplex;
      const waiting = () => output.writableLength + output.readableLength + out.writableLength;
      while (!out.closed && !out.destroyed && waiting() > maxBytes)
        await (out.writableNeedDrain
          ? Promise.race([once(out, "drain"), fileGone])
          : new Promise<void>((resolve) => setImmediate(resolve)));
    },
    /**
     * An entry written chunk by chunk; call `end()` when done. A write resolves once the zip has taken the chunk,
     * so a writer far ahead of the file waits instead of piling entries up in memory.
     */
    stream(path: string, options: { compress?: boolean } = {}) {
      const stream = new PassThrough();
      const hash = createHash("sha256");
      let bytes = 0;
      setAsideWritten();
      zip.addReadStream(stream, path, { compress: options.compress ?? true });
      return {
        async write(chunk: string | Buffer) {
          const buffer = typeof chunk === "string" ? Buffer.from(chunk) : chunk;
          hash.update(buffer);
          bytes += buffer.length;
          if (!stream.write(buffer)) await once(stream, "drain");
        },
        end() {
          stream.end();
          files.push({ path, sha256: hash.digest("hex"), bytes });
        },
        /**
         * Settles once the zip has read the whole entry (or the file is gone). yazl queues entries without limit
         * and a small entry never fills its stream, so a writer of many small entries waits on this to stay a
         * bounded distance ahead of the file.
         */
        taken(): Promise<void> {
          if (stream.readableEnded || stream.destroyed) return Promise.resolve();
          const read = new Promise<void>((resolve) => {
            stream.once("end", () => resolve());
            stream.once("close", () => resolve());
          });
          return Promise.race([read, fileGone]);
        },
      };
    },
    /** A local file as an entry, streamed (large parts written to a temp file first). */
    async addFile(path: string, filename: string) {
      const entry = this.stream(path);
      for await (const chunk of createReadStream(filename)) await entry.write(chunk as Buffer);
      entry.end();
    },
    async finish() {
      yazlEntries.entries = written.concat(yazlEntries.entries);
      written.length = 0;
      zip.end();
      await once(out, "close");
    },
    /** Stops writing the file (a run that failed or lost its job) and waits until it is closed; the caller removes it. */
    async abort() {
      if (out.closed) return;
      zip.outputStream.unpipe(out);
      out.on("error", () => {}); // writes still in flight fail once destroyed; nobody reads this file
      const closed = new Promise<void>((resolve) => out.once("close", () => resolve()));
      out.destroy();
      await closed;
    },
  };
}
