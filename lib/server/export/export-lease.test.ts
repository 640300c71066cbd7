import { readdirSync } from "node:fs";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { ZExportOptions } from "@/lib/export/options";
import { dataDir } from "@/lib/env";
import { db } from "@/lib/server/db";
import { storage } from "@/lib/server/storage/storage";
import { unzip } from "@/test/unzip";
import { claimExportJob, executeExportJob, releaseCurrentExport, requestExport } from "./export-jobs";
import { LeaseLostError, MAX_EXPORT_ATTEMPTS, staleMs, startExportRun } from "./export-lease";
import { labelledExportProject } from "./export-test-fixtures";

const IMAGES = 6;
let fixture: Awaited<ReturnType<typeof labelledExportProject>>;
beforeAll(async () => {
  fixture = await labelledExportProject(IMAGES);
}, 120_000);

const request = () =>
  requestExport(
    fixture.project.id,
    ZExportOptions.parse({ purpose: "research", formats: ["coco"] }),
    fixture.manager.id,
  );
const later = (ms: number) => new Date(Date.now() + ms);
const tmpFiles = () => {
  try {
    return readdirSync(path.join(dataDir(), "tmp"));
  } catch {
    return [];
  }
};
const archives = () => {
  const dir = path.join(dataDir(), "storage", "projects", fixture.project.id, "exports");
  try {
    return readdirSync(dir);
  } catch {
    return [];
  }
};

describe("export job lease", () => {
  it("a run taken over while still alive stops, writes nothing, and the new run's archive is the only one", async () => {
    const job = await request();
    const first = await claimExportJob();
    expect(first?.exportId).toBe(job.id);
    // The first run looks dead to another instance (no heartbeat within the stale time) and is taken over…
    const second = await claimExportJob({ now: later(staleMs() + 1000) });
    expect(second).toMatchObject({ exportId: job.id, attempt: 2 });
    expect(second!.token).not.toBe(first!.token);
    // …but it is alive: both runs go on at the same time, in this process.
    const [a, b] = await Promise.all([executeExportJob(first!), executeExportJob(second!)]);
    expect(a).toBeNull();
    expect(b).toMatchObject({ images: IMAGES });

    const row = await db.export.findUniqueOrThrow({ where: { id: job.id } });
    expect(row).toMatchObject({ status: "done", error: null, progress: 1, leaseToken: null });
    expect(await db.exportImage.count({ where: { exportId: job.id } })).toBe(IMAGES);
    expect(await db.auditEvent.count({ where: { targetId: job.id, action: "export.completed" } })).toBe(1);
    const files = await unzip(await storage().get(row.archiveKey!));
    expect([...files.keys()].filter((name) => name.startsWith("images/")).length).toBe(IMAGES);
    expect(JSON.parse(files.get("manifest.json")!.toString()).exportId).toBe(job.id);
    expect(archives()).toEqual([path.basename(row.archiveKey!)]);
    expect(tmpFiles()).toEqual([]);
  });

  it("a run whose job was taken over learns it from its next heartbeat or progress write", async () => {
    const job = await request();
    const first = (await claimExportJob())!;
    const run = startExportRun(job.id, first.token, { heartbeatMs: 50 });
    try {
      const before = (await db.export.findUniqueOrThrow({ where: { id: job.id } })).heartbeatAt!;
      await new Promise((resolve) => setTimeout(resolve, 300));
      // The timer beats without any progress being reported (a long COCO, zip or upload phase).
      const beaten = (await db.export.findUniqueOrThrow({ where: { id: job.id } })).heartbeatAt!;
      expect(beaten.getTime()).toBeGreaterThan(before.getTime());
      run.ensureOwned();

      const second = (await claimExportJob({ now: later(staleMs() + 1000) }))!;
      await expect(run.progress(0.5)).rejects.toBeInstanceOf(LeaseLostError);
      expect(() => run.ensureOwned()).toThrow(LeaseLostError);
      // The lost run's writes changed nothing: the job is the new run's.
      expect(await db.export.findUniqueOrThrow({ where: { id: job.id } })).toMatchObject({
        status: "running",
        leaseToken: second.token,
        progress: 0,
      });
      await executeExportJob(second);
    } finally {
      run.stop();
    }
  });

  it("the progress a person watches never steps backwards", async () => {
    const job = await request();
    const claim = (await claimExportJob())!;
    const run = startExportRun(job.id, claim.token);
    const shown = async () => (await db.export.findUniqueOrThrow({ where: { id: job.id } })).progress;
    const afterThrottle = () => new Promise((resolve) => setTimeout(resolve, 600));
    try {
      await run.progress(0.6);
      expect(await shown()).toBeCloseTo(0.6);
      await afterThrottle();
      // A repeat export handing its rest to shards: their shares start again from 0.
      await run.progress(0.1);
      expect(await shown()).toBeCloseTo(0.6);
      await afterThrottle();
      await run.progress(0.7);
      expect(await shown()).toBeCloseTo(0.7);
    } finally {
      run.stop();
    }
    await executeExportJob(claim);
  });

  it(`fails with a message after ${MAX_EXPORT_ATTEMPTS} runs that stopped without finishing`, async () => {
    const job = await request();
    let now = Date.now();
    for (let attempt = 1; attempt <= MAX_EXPORT_ATTEMPTS; attempt++) {
      const claim = await claimExportJob({ now: new Date(now) });
      expect(claim).toMatchObject({ exportId: job.id, attempt });
      now += staleMs() + 1000; // the instance died: no heartbeat
    }
    expect(await claimExportJob({ now: new Date(now) })).toBeNull();
    const row = await db.export.findUniqueOrThrow({ where: { id: job.id } });
    expect(row.status).toBe("failed");
    expect(row.error).toMatch(/stopped 3 times without finishing.*request the export again/i);
    expect(row.finishedAt).not.toBeNull();
  });

  it("a released run (instance shutting down) puts its job back in the queue without counting the attempt", async () => {
    const job = await request();
    const claim = (await claimExportJob())!;
    const running = executeExportJob(claim);
    expect(await releaseCurrentExport()).toBe(job.id);
    expect(await running).toBeNull();
    expect(await db.export.findUniqueOrThrow({ where: { id: job.id } })).toMatchObject({
      status: "queued",
      leaseToken: null,
      attempts: 0,
      error: null,
    });
    expect(tmpFiles()).toEqual([]);
    const again = (await claimExportJob())!;
    expect(again).toMatchObject({ exportId: job.id, attempt: 1 });
    expect(await executeExportJob(again)).toMatchObject({ images: IMAGES });
  });
});
