import "server-only";
import { createHash } from "node:crypto";
import { createReadStream, createWriteStream } from "node:fs";
import { once } from "node:events";
import { PassThrough, type Duplex } from "node:stream";
import yazl from "yazl";

export type TZipFile = { path: string; sha256: string; bytes: number };

/**
 * A zip written incrementally to a file (yazl), recording the sha256 and size of every entry for
 * the manifest. Streamed entries (large JSON) never sit whole in memory.
 */
export function createZipWriter(filename: string) {
  const zip = new yazl.ZipFile();
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
    /** `compress: false` for JPEGs: deflating compressed images costs CPU and gains nothing. */
    addBuffer(path: string, bytes: Buffer, options: { compress?: boolean } = {}) {
      zip.addBuffer(bytes, path, { compress: options.compress ?? true });
      files.push({ path, sha256: createHash("sha256").update(bytes).digest("hex"), bytes: bytes.length });
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
