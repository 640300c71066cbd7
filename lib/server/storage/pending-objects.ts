import "server-only";
import { db } from "@/lib/server/db";
import type { TTx } from "@/lib/server/audit/record-audit-event";

/** What a pending object will belong to once its row commits. */
export type TPendingKind = "image" | "consent_form" | "export_archive";

/**
 * Records storage keys as pending BEFORE their bytes are written, in its own committed statement, so
 * that whatever moment the process dies, every stored object is either owned by a domain row or listed
 * here (and then deleted by lib/server/storage/reconcile.ts after its grace period). An upsert, since
 * content-addressed keys (images) can be written twice.
 */
export async function recordPendingObjects(
  keys: readonly string[],
  kind: TPendingKind,
  client: TTx = db,
): Promise<void> {
  for (const key of keys)
    await client.pendingObject.upsert({
      where: { key },
      create: { key, kind },
      update: { createdAt: new Date(), kind },
    });
}

/** Called in the transaction that creates the owning row: from the commit on, the row owns the keys. */
export async function settlePendingObjects(keys: readonly string[], client: TTx = db): Promise<void> {
  if (keys.length) await client.pendingObject.deleteMany({ where: { key: { in: [...keys] } } });
}
