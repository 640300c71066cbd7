/**
 * Graceful shutdown of an instance (scripts/graceful-shutdown.mjs, as scripts/server.mjs installs it, with the
 * export worker wired by instrumentation.ts — test/graceful-instance.ts runs exactly that, minus Next.js): on
 * SIGTERM during an export the instance refuses new connections, finishes the request in flight, puts the
 * export back in the queue at once (not after the stale time) and exits 0; another instance then completes
 * it with a correct archive. Both lanes: separate processes on one database.
 */
import { readdirSync } from "node:fs";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { ZExportOptions } from "@/lib/export/options";
import { dataDir } from "@/lib/env";
import { db } from "@/lib/server/db";
import { storage } from "@/lib/server/storage/storage";
import { requestExport } from "@/lib/server/export/export-jobs";
import { labelledExportProject } from "@/lib/server/export/export-test-fixtures";
import { runScript, sleep, type TChild } from "@/test/instances";
import { unzip } from "@/test/unzip";

const children: TChild[] = [];
afterAll(() => {
  for (const child of children) if (child.process.exitCode === null) child.process.kill("SIGKILL");
});

async function waitFor<T>(what: string, probe: () => Promise<T | null | undefined | false>, timeoutMs: number) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(20);
  }
}

/** An instance whose stale time is far away: only a release can hand its job to another instance quickly. */
async function startInstance() {
  const child = runScript("test/graceful-instance.ts", {
    DATABASE_URL: process.env.DATABASE_URL!,
    PHALANX_DATA_DIR: dataDir(),
    PHALANX_STORAGE: "local",
    PHALANX_JOB_STALE_SECONDS: "600",
    PHALANX_SHUTDOWN_GRACE_SECONDS: "30",
  });
  children.push(child);
  const port = await waitFor(
    "an instance to listen",
    async () => {
      if (child.process.exitCode !== null) throw new Error(child.output());
      return /listening (\d+)/.exec(child.output())?.[1];
    },
    60_000,
  );
  return { child, url: `http://127.0.0.1:${port}` };
}

describe("graceful shutdown on SIGTERM", () => {
  it(
    "during an export: new connections refused, the request in flight answered, the job back in the queue at once, exit 0; another instance completes it",
    { timeout: 300_000 },
    async () => {
      // Enough images that the export is still running when SIGTERM comes, even on a quiet machine.
      const IMAGES = 120;
      const fixture = await labelledExportProject(IMAGES);
      const first = await startInstance();
      const job = await requestExport(
        fixture.project.id,
        ZExportOptions.parse({ purpose: "research", formats: ["coco"] }),
        fixture.manager.id,
      );
      const running = await waitFor(
        "the instance to be exporting",
        async () => {
          const row = await db.export.findUniqueOrThrow({ where: { id: job.id } });
          return row.status === "running" && row.progress > 0 && row;
        },
        120_000,
      );
      expect(running.claimedBy).toMatch(new RegExp(`:${first.child.process.pid}$`));

      const inFlight = fetch(`${first.url}/slow?ms=1500`).then(async (response) => ({
        status: response.status,
        body: await response.text(),
      }));
      await sleep(200); // the request has reached the server
      first.child.process.kill("SIGTERM");
      await waitFor("the instance to start stopping", async () => first.child.output().includes("SIGTERM"), 10_000);
      await expect(fetch(`${first.url}/`)).rejects.toThrow();
      expect(await inFlight).toEqual({ status: 200, body: "done after 1500 ms" });
      expect(await first.child.exited, first.child.output()).toBe(0);
      expect(first.child.output()).toContain(`[export] stopping: releasing export ${job.id}`);

      // Back in the queue as soon as the instance is gone, the interrupted run not counted as an attempt.
      const released = await db.export.findUniqueOrThrow({ where: { id: job.id } });
      expect(released).toMatchObject({ status: "queued", claimedBy: null, leaseToken: null, attempts: 0 });

      const second = await startInstance();
      const done = await waitFor(
        "the other instance to finish the export",
        async () => {
          const row = await db.export.findUniqueOrThrow({ where: { id: job.id } });
          if (row.status === "failed") throw new Error(`export failed: ${row.error}`);
          return row.status === "done" && row;
        },
        180_000,
      );
      expect(done.claimedBy ?? "").not.toMatch(new RegExp(`:${first.child.process.pid}$`));
      expect(done.attempts).toBe(1);
      const files = await unzip(await storage().get(done.archiveKey!));
      expect([...files.keys()].filter((name) => name.startsWith("images/"))).toHaveLength(IMAGES);
      expect(JSON.parse(files.get("manifest.json")!.toString())).toMatchObject({
        exportId: job.id,
        counts: { images: IMAGES },
      });
      expect(await db.exportImage.count({ where: { exportId: job.id } })).toBe(IMAGES);
      expect(await db.auditEvent.count({ where: { targetId: job.id, action: "export.completed" } })).toBe(1);
      expect(readdirSync(path.join(dataDir(), "tmp")).filter((name) => name.includes(job.id))).toEqual([]);

      second.child.process.kill("SIGTERM");
      expect(await second.child.exited, second.child.output()).toBe(0);
    },
  );
});
