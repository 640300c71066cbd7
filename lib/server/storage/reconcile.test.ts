import { mkdirSync, writeFileSync, existsSync, utimesSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { dataDir } from "@/lib/env";
import { db } from "@/lib/server/db";
import { reconcileStorage } from "./reconcile";
import { recordPendingObjects } from "./pending-objects";
import { storage } from "./storage";

const exists = async (key: string) =>
  storage()
    .get(key)
    .then(
      () => true,
      () => false,
    );

describe("reconcileStorage", () => {
  it("keeps what a writer may still commit (within the grace period) and removes leftovers past it", async () => {
    const hourAgo = new Date(Date.now() - 2 * 60 * 60 * 1000);
    await recordPendingObjects(["projects/p/images/fresh/original.jpg"], "image");
    await storage().put("projects/p/images/fresh/original.jpg", Buffer.from("in flight"));
    await storage().put("projects/p/images/unowned-new/original.jpg", Buffer.from("new, no row yet"));
    await storage().put("projects/p/images/unowned-old/original.jpg", Buffer.from("old, no row"));
    await recordPendingObjects(["projects/p/consent/s/old.pdf"], "consent_form");
    await storage().put("projects/p/consent/s/old.pdf", Buffer.from("%PDF-"));
    await db.pendingObject.update({ where: { key: "projects/p/consent/s/old.pdf" }, data: { createdAt: hourAgo } });
    const root = path.join(dataDir(), "storage");
    utimesSync(path.join(root, "projects/p/images/unowned-old/original.jpg"), hourAgo, hourAgo);
    const part = path.join(root, "projects/p/images/x/original.jpg.1234.part");
    mkdirSync(path.dirname(part), { recursive: true });
    writeFileSync(part, "half");
    utimesSync(part, hourAgo, hourAgo);
    const temp = path.join(dataDir(), "tmp", "export-dead.zip");
    mkdirSync(path.dirname(temp), { recursive: true });
    writeFileSync(temp, "zip");
    utimesSync(temp, hourAgo, hourAgo);

    const result = await reconcileStorage();
    expect(result.removedOrphans.sort()).toEqual([
      "projects/p/consent/s/old.pdf",
      "projects/p/images/unowned-old/original.jpg",
      "projects/p/images/x/original.jpg.1234.part",
    ]);
    expect(result).toMatchObject({ settledPending: 1, removedTemp: 1 });
    expect(await exists("projects/p/images/fresh/original.jpg")).toBe(true);
    expect(await exists("projects/p/images/unowned-new/original.jpg")).toBe(true);
    expect(existsSync(part)).toBe(false);
    expect(existsSync(temp)).toBe(false);
    expect(await db.pendingObject.findMany({ select: { key: true } })).toEqual([
      { key: "projects/p/images/fresh/original.jpg" },
    ]);
    expect(await db.auditEvent.count({ where: { action: "storage.reconciled" } })).toBe(1);
  });
});
