import "server-only";
import { createWriteStream } from "node:fs";
import { once } from "node:events";

/**
 * Characters gathered before one write to the file: the export writes a few short strings per image, and each write
 * to a file stream is a call on libuv's thread pool (tens of thousands per export otherwise).
 */
const BATCH_CHARS = 64 * 1024;

/** A temp file written chunk by chunk, in batches, each write waiting while the disk is behind (memory stays flat). */
export function fileSink(filename: string) {
  const out = createWriteStream(filename);
  let batch: string[] = [];
  let batchChars = 0;
  const flush = async () => {
    if (batchChars === 0) return;
    const chunk = batch.join("");
    [batch, batchChars] = [[], 0];
    if (!out.write(chunk)) await once(out, "drain");
  };
  return {
    filename,
    async write(chunk: string) {
      batch.push(chunk);
      batchChars += chunk.length;
      if (batchChars >= BATCH_CHARS) await flush();
    },
    async end() {
      if (out.writableFinished) return;
      await flush();
      out.end();
      await once(out, "finish");
    },
  };
}
