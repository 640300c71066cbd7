/**
 * No file without a row, whatever moment the process dies: a child process uploads images and signed
 * consent forms through the real services and is killed (SIGKILL) at random points, several times;
 * then the reconciler runs, and storage must hold exactly the files the rows point at — on local
 * storage and on S3 (s3rver).
 */
import { spawn } from "node:child_process";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { dataDir } from "@/lib/env";
import { mulberry32 } from "@/lib/export/splits";
import { db } from "@/lib/server/db";
import { createFixtureProject } from "@/lib/server/queue/queue-test-fixtures";
import { createSubject } from "@/lib/server/subjects/subjects";
import { startS3Server, type TS3TestServer } from "@/test/s3-server";
import { reconcileStorage } from "./reconcile";
import { localStorage, storageFromConfig, type TStorage } from "./storage";

const KILLS = 5;
const random = mulberry32(20261129);

/** Starts the victim and SIGKILLs it `delayMs` after its first committed upload (or at once, on 0). */
function runAndKill(args: string[], env: Record<string, string>, delayMs: number): Promise<{ committed: number }> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      ["--conditions=react-server", "--import", "tsx", "test/crash-ingest-child.ts", ...args],
      { env: { ...process.env, ...env }, stdio: ["ignore", "pipe", "pipe"] },
    );
    let committed = 0;
    let armed = false;
    let stderr = "";
    child.stderr.on("data", (chunk) => (stderr += chunk));
    child.stdout.on("data", (chunk: Buffer) => {
      for (const line of chunk.toString().split("\n")) {
        if (line.startsWith("ok ")) committed = Number(line.slice(3));
        if ((line === "ready" && delayMs === 0) || (line.startsWith("ok ") && !armed)) {
          if (armed) continue;
          armed = true;
          setTimeout(() => child.kill("SIGKILL"), delayMs);
        }
      }
    });
    child.on("exit", (code, signal) =>
      signal === "SIGKILL"
        ? resolve({ committed })
        : reject(new Error(`victim exited ${code}: ${stderr.slice(-2000)}`)),
    );
  });
}

async function listAll(store: TStorage): Promise<string[]> {
  const keys: string[] = [];
  for await (const object of store.list()) keys.push(object.key);
  return keys.sort();
}

async function ownedKeys(projectId: string): Promise<string[]> {
  const images = await db.image.findMany({
    where: { projectId },
    select: { originalKey: true, displayKey: true, thumbKey: true },
  });
  const forms = await db.consentRecord.findMany({
    where: { subject: { projectId }, formStorageKey: { not: null } },
    select: { formStorageKey: true },
  });
  return [...images.flatMap((i) => [i.originalKey, i.displayKey, i.thumbKey]), ...forms.map((f) => f.formStorageKey)]
    .filter((k): k is string => !!k)
    .sort();
}

async function crashAndReconcile(label: string, store: TStorage, env: Record<string, string>) {
  const fixture = await createFixtureProject();
  const subject = await createSubject(fixture.project.id, {}, fixture.manager.id);
  await db.consentRecord.create({
    data: {
      subjectId: subject.id,
      consentTextId: fixture.text.id,
      scopes: ["annotation", "research"],
      biometricNoticeAcknowledged: true,
      signedAt: new Date(Date.now() - 86_400_000),
      jurisdiction: "EU",
      retentionUntil: new Date(Date.now() + 86_400_000 * 30),
    },
  });
  let committed = 0;
  for (let kill = 0; kill < KILLS; kill++) {
    const delay = Math.floor(random() * 1200);
    committed += (
      await runAndKill([fixture.project.id, subject.id, fixture.text.id, fixture.manager.id, String(kill)], env, delay)
    ).committed;
  }
  const before = await listAll(store);
  const owned = await ownedKeys(fixture.project.id);
  const pending = await db.pendingObject.count();
  const orphans = before.filter((key) => !owned.includes(key));
  const parts = before.filter((key) => key.endsWith(".part"));

  const result = await reconcileStorage({ graceMs: 0, store });
  const after = await listAll(store);
  const ownedAfter = await ownedKeys(fixture.project.id);
  console.log(
    `${label}: ${KILLS} SIGKILLs, ${committed} uploads committed, ${await db.image.count({ where: { projectId: fixture.project.id } })} image rows, ${before.length} objects before reconcile: ${orphans.length} without a row (${parts.length} .part), ${pending} pending rows; reconcile removed ${result.removedOrphans.length}, settled ${result.settledPending}; ${after.length} objects after, ${result.missing.filter((m) => ownedAfter.includes(m.key)).length} rows missing a file`,
  );
  expect(after).toEqual(ownedAfter); // no orphan, no row without its files
  // (Rows of the other storage's test live in the same database; only this project's rows count here.)
  expect(result.missing.filter((m) => ownedAfter.includes(m.key))).toEqual([]);
  expect(await db.pendingObject.count()).toBe(0);
  expect(committed).toBeGreaterThan(0);
  return { orphans: orphans.length };
}

describe("crash during uploads, then reconcile", () => {
  let s3: TS3TestServer;
  beforeAll(async () => {
    s3 = await startS3Server();
  });
  afterAll(async () => {
    await s3?.stop();
  });

  it("local storage: storage and rows agree after SIGKILLs at random points", async () => {
    const store = localStorage(path.join(dataDir(), "storage"));
    await crashAndReconcile("local", store, { PHALANX_STORAGE: "local" });
  }, 240_000);

  it("S3 storage: storage and rows agree after SIGKILLs at random points", async () => {
    const config = {
      PHALANX_STORAGE: "s3" as const,
      S3_ENDPOINT: s3.endpoint,
      S3_REGION: s3.region,
      S3_BUCKET: s3.bucket,
      S3_ACCESS_KEY_ID: s3.accessKeyId,
      S3_SECRET_ACCESS_KEY: s3.secretAccessKey,
      S3_FORCE_PATH_STYLE: "1" as const,
    };
    await crashAndReconcile("s3", storageFromConfig(config), config);
  }, 240_000);
});
