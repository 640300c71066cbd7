import "server-only";
import { readdir, rm, stat } from "node:fs/promises";
import path from "node:path";
import { dataDir } from "@/lib/env";
import { db } from "@/lib/server/db";
import { recordAuditEvent } from "@/lib/server/audit/record-audit-event";
import { purgeRevokedArchives } from "@/lib/server/export/revoke-exports";
import { shardFolder } from "@/lib/server/export/export-shards";
import { storage as defaultStorage, type TStorage, type TStoredObject } from "./storage";

/** Objects younger than this are left alone: their writer may still be about to commit its row. */
export const DEFAULT_GRACE_MS = 60 * 60 * 1000;

export type TReconcileResult = {
  /** Objects (and `.part` leftovers) that no row owns, deleted. */
  removedOrphans: string[];
  /** Pending rows past the grace period, settled (their object deleted unless a row owns it). */
  settledPending: number;
  /** Rows whose file is missing: reported, never "fixed" by guessing. */
  missing: { table: string; id: string; key: string }[];
  /** Leftover export temp files under the data folder, deleted. */
  removedTemp: number;
  /** Revoked archives whose bytes the policy says to delete, deleted. */
  purgedArchives: number;
};

/** Every storage key some row owns. */
async function ownedKeys(): Promise<Map<string, { table: string; id: string }>> {
  const owned = new Map<string, { table: string; id: string }>();
  const images = await db.image.findMany({
    select: { id: true, originalKey: true, displayKey: true, thumbKey: true, exportCacheKey: true },
  });
  for (const image of images)
    for (const key of [image.originalKey, image.displayKey, image.thumbKey, image.exportCacheKey])
      if (key) owned.set(key, { table: "Image", id: image.id });
  const forms = await db.consentRecord.findMany({
    where: { formStorageKey: { not: null } },
    select: { id: true, formStorageKey: true },
  });
  for (const form of forms) owned.set(form.formStorageKey!, { table: "ConsentRecord", id: form.id });
  const exports = await db.export.findMany({
    where: { archiveKey: { not: null } },
    select: { id: true, archiveKey: true },
  });
  for (const row of exports) owned.set(row.archiveKey!, { table: "Export", id: row.id });
  return owned;
}

/** Folders of export runs that still have shards: what their shards stored there is in use. */
async function ownedShardFolders(): Promise<string[]> {
  const shards = await db.exportShard.findMany({
    select: { exportId: true, runToken: true, export: { select: { projectId: true } } },
    distinct: ["exportId", "runToken"],
  });
  return shards.map((shard) => `${shardFolder(shard.export.projectId, shard.exportId, shard.runToken)}/`);
}

/**
 * Makes storage and database agree after a crash, for local and S3 storage alike (run at start and
 * hourly; idempotent, so instances need not coordinate):
 *  1. pending objects past the grace period whose row never committed are deleted, with their row;
 *  2. any stored object no row owns and no recent pending row announces, older than the grace
 *     period, is deleted — `.part` files of interrupted local writes included (they are never owned);
 *  3. rows whose file is missing are reported (a purged image has no keys, so this is real damage);
 *  4. export temp files under the data folder older than the grace period are deleted;
 *  5. revoked archives are purged per the project's policy (lib/server/export/revoke-exports.ts).
 * Each deletion is an audit event, so an auditor can see that nothing was left behind.
 */
export async function reconcileStorage(
  options: { graceMs?: number; now?: Date; store?: TStorage } = {},
): Promise<TReconcileResult> {
  const graceMs = options.graceMs ?? DEFAULT_GRACE_MS;
  const now = options.now ?? new Date();
  const cutoff = new Date(now.getTime() - graceMs);
  const store = options.store ?? defaultStorage();
  const result: TReconcileResult = {
    removedOrphans: [],
    settledPending: 0,
    missing: [],
    removedTemp: 0,
    purgedArchives: 0,
  };

  const pending = await db.pendingObject.findMany({ select: { key: true, createdAt: true } });
  const owned = await ownedKeys();
  const shardFolders = await ownedShardFolders();
  const recentPending = new Set(pending.filter((p) => p.createdAt > cutoff).map((p) => p.key));
  const objects: TStoredObject[] = [];
  for await (const object of store.list()) objects.push(object);
  const stored = new Set(objects.map((o) => o.key));

  // 1. Expired pending rows: the writer died (or failed) before its row committed.
  const handled = new Set<string>();
  for (const p of pending.filter((row) => row.createdAt <= cutoff)) {
    if (!owned.has(p.key)) {
      await store.remove(p.key); // it may never have been written: removing a missing key succeeds
      handled.add(p.key);
      if (stored.has(p.key)) result.removedOrphans.push(p.key);
    }
    await db.pendingObject.deleteMany({ where: { key: p.key, createdAt: p.createdAt } });
    result.settledPending++;
  }

  // 2. Objects nobody owns (written before pending rows existed, or `.part` leftovers).
  for (const object of objects) {
    if (handled.has(object.key) || owned.has(object.key) || recentPending.has(object.key)) continue;
    if (shardFolders.some((folder) => object.key.startsWith(folder))) continue;
    if (object.modifiedAt > cutoff) continue;
    await store.removeRaw(object.key);
    result.removedOrphans.push(object.key);
  }

  // 3. Rows without their file.
  for (const [key, row] of owned) if (!stored.has(key)) result.missing.push({ ...row, key });

  // 4. Export zips being assembled when the process died.
  const tmp = path.join(dataDir(), "tmp");
  for (const name of await readdir(tmp).catch(() => [] as string[])) {
    const file = path.join(tmp, name);
    if ((await stat(file)).mtime > cutoff) continue;
    await rm(file, { force: true, recursive: true });
    result.removedTemp++;
  }

  result.purgedArchives = await purgeRevokedArchives({}, now);
  if (result.removedOrphans.length || result.removedTemp) {
    await recordAuditEvent({
      actorId: null,
      action: "storage.reconciled",
      targetType: "storage",
      details: {
        removedOrphans: result.removedOrphans.length,
        keys: result.removedOrphans.slice(0, 200),
        removedTemp: result.removedTemp,
        settledPending: result.settledPending,
      },
    });
  }
  if (result.missing.length)
    console.error(
      `[storage] ${result.missing.length} row(s) point at missing files, e.g. ${result.missing
        .slice(0, 3)
        .map((m) => `${m.table} ${m.id}: ${m.key}`)
        .join("; ")}`,
    );
  return result;
}

const HOUR_MS = 60 * 60 * 1000;

/** Every instance reconciles hourly (scripts/prepare.ts runs it once before the server starts). */
export function scheduleStorageReconcile(): void {
  const timer = setInterval(() => {
    reconcileStorage()
      .then((r) => {
        if (r.removedOrphans.length || r.removedTemp || r.purgedArchives)
          console.log(
            `[storage] reconciled: ${r.removedOrphans.length} orphan object(s), ${r.removedTemp} temp file(s), ${r.purgedArchives} revoked archive(s) removed`,
          );
      })
      .catch((error) => console.error("[storage] reconcile failed:", error));
  }, HOUR_MS);
  timer.unref();
}
