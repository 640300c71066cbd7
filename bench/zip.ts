/**
 * Zip benchmark (`npm run bench -- zip`): the export's zip writer (lib/server/export/zip-writer.ts, yazl) adding
 * N stored 12 kB entries (a 640×480 export JPEG's size), as the export's assembly does (at most 8 MiB waiting for
 * the file), at growing N, beside a plain write of the same bytes to a file. The cost per entry must not grow with
 * N: an export of 1,000,000 images is one archive.
 *
 *   BENCH_ZIP_SIZES=25000,50000,100000   entry counts
 */
import { randomBytes } from "node:crypto";
import { createWriteStream, mkdtempSync, rmSync } from "node:fs";
import { once } from "node:events";
import os from "node:os";
import path from "node:path";
import { createZipWriter } from "@/lib/server/export/zip-writer";

const SIZES = (process.env.BENCH_ZIP_SIZES ?? "25000,50000,100000").split(",").map(Number);
const ENTRY_BYTES = 12_000;
const WAITING_BYTES = 8 * 2 ** 20;
const log = (line: string) => process.stdout.write(`${line}\n`);

async function zipEntries(file: string, count: number, bytes: Buffer): Promise<number> {
  const started = performance.now();
  const writer = createZipWriter(file);
  for (let i = 0; i < count; i++) {
    writer.addBuffer(`images/train/${i}.jpg`, bytes, { compress: false });
    if (i % 64 === 63) await writer.room(WAITING_BYTES);
  }
  await writer.finish();
  return performance.now() - started;
}

async function plainWrite(file: string, count: number, bytes: Buffer): Promise<number> {
  const started = performance.now();
  const out = createWriteStream(file);
  for (let i = 0; i < count; i++) if (!out.write(bytes)) await once(out, "drain");
  out.end();
  await once(out, "close");
  return performance.now() - started;
}

async function main() {
  const dir = mkdtempSync(path.join(os.tmpdir(), "phalanx-bench-zip-"));
  const bytes = randomBytes(ENTRY_BYTES);
  log(
    `phalanx zip benchmark: node ${process.version}, ${os.cpus().length} CPUs; stored ${ENTRY_BYTES / 1000} kB entries; load average ${os
      .loadavg()
      .map((l) => l.toFixed(1))
      .join(" ")}`,
  );
  log("entries   zip µs/entry  plain write µs/entry  × plain");
  try {
    for (const count of SIZES) {
      const zipMs = await zipEntries(path.join(dir, "a.zip"), count, bytes);
      const plainMs = await plainWrite(path.join(dir, "a.bin"), count, bytes);
      const [zipUs, plainUs] = [(zipMs * 1000) / count, (plainMs * 1000) / count];
      log(
        `${String(count).padStart(7)}  ${zipUs.toFixed(1).padStart(12)}  ${plainUs.toFixed(1).padStart(20)}  ${(zipUs / plainUs).toFixed(2).padStart(7)}`,
      );
      rmSync(path.join(dir, "a.zip"));
      rmSync(path.join(dir, "a.bin"));
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
