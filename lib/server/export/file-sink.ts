import "server-only";
import { createWriteStream } from "node:fs";
import { once } from "node:events";

/** A temp file written chunk by chunk, each write waiting while the disk is behind (memory stays flat). */
export function fileSink(filename: string) {
  const out = createWriteStream(filename);
  return {
    filename,
    async write(chunk: string) {
      if (!out.write(chunk)) await once(out, "drain");
    },
    async end() {
      if (out.writableFinished) return;
      out.end();
      await once(out, "finish");
    },
  };
}
