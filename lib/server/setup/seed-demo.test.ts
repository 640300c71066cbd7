import { createHash } from "node:crypto";
import { readdirSync } from "node:fs";
import path from "node:path";
import sharp from "sharp";
import { beforeAll, describe, expect, it } from "vitest";
import { dataDir } from "@/lib/env";
import { db } from "@/lib/server/db";
import { authenticate } from "@/lib/server/auth/authenticate";
import { listMembers } from "@/lib/server/projects/members";
import { storage } from "@/lib/server/storage/storage";
import { ensureAdmin } from "@/lib/server/setup/ensure-admin";
import { seedDemo, type TDemoCredentials } from "@/lib/server/setup/seed-demo";

let adminId: string;
let credentials: TDemoCredentials;
let projectId: string;

beforeAll(async () => {
  await ensureAdmin();
  adminId = (await db.user.findFirstOrThrow({ where: { isAdmin: true } })).id;
  credentials = await seedDemo(adminId);
  projectId = (await db.project.findFirstOrThrow()).id;
});

describe("seedDemo", () => {
  it("creates one project managed by the admin and four demo people with their roles", async () => {
    expect(await db.project.count()).toBe(1);
    const members = await listMembers(projectId);
    const roles = Object.fromEntries(members.map((m) => [m.email, m.roles]));
    expect(roles).toEqual({
      "manager@demo.phalanx.local": ["manager"],
      "reviewer@demo.phalanx.local": ["reviewer"],
      "annotator1@demo.phalanx.local": ["annotator"],
      "annotator2@demo.phalanx.local": ["annotator"],
      "admin@phalanx.local": ["manager"],
    });
    expect(credentials.map((c) => [c.email, c.roles])).toEqual([
      ["manager@demo.phalanx.local", ["manager"]],
      ["reviewer@demo.phalanx.local", ["reviewer"]],
      ["annotator1@demo.phalanx.local", ["annotator"]],
      ["annotator2@demo.phalanx.local", ["annotator"]],
    ]);
    const demoUsers = await db.user.findMany({ where: { email: { endsWith: "@demo.phalanx.local" } } });
    expect(demoUsers).toHaveLength(4);
    expect(demoUsers.every((u) => !u.isAdmin && u.mustChangePassword)).toBe(true);
  });

  it("returns passwords that sign the demo people in", async () => {
    for (const [index, person] of credentials.entries()) {
      expect(await authenticate(person.email, person.password, `198.51.100.${index}`)).toMatchObject({ ok: true });
    }
  });

  it("creates three subjects, each with exactly one consent record on the project's consent text", async () => {
    const subjects = await db.subject.findMany({
      where: { projectId },
      include: { consentRecords: true },
      orderBy: { code: "asc" },
    });
    expect(subjects.map((s) => s.code)).toEqual(["S-0001", "S-0002", "S-0003"]);
    const text = await db.consentText.findFirstOrThrow({ where: { projectId } });
    expect(text.sha256).toBe(createHash("sha256").update(text.body).digest("hex"));
    for (const subject of subjects) {
      expect(subject.consentRecords).toHaveLength(1);
      const [record] = subject.consentRecords;
      expect(record).toMatchObject({ consentTextId: text.id, biometricNoticeAcknowledged: true, withdrawnAt: null });
      expect(record.retentionUntil.getTime()).toBeGreaterThan(record.signedAt.getTime());
    }
    expect(await db.auditEvent.count({ where: { projectId, action: "consent.recorded" } })).toBe(3);
  });

  it("stores twelve JPEG originals whose size and sha256 match their rows", async () => {
    const images = await db.image.findMany({ where: { projectId } });
    expect(images).toHaveLength(12);
    expect(new Set(images.map((i) => i.sha256)).size).toBe(12);
    const subjectIds = new Set((await db.subject.findMany({ where: { projectId } })).map((s) => s.id));
    for (const image of images) {
      expect(subjectIds.has(image.subjectId)).toBe(true);
      const bytes = await storage().get(image.originalKey!);
      expect(createHash("sha256").update(bytes).digest("hex")).toBe(image.sha256);
      expect(bytes.length).toBe(image.byteSize);
      const meta = await sharp(bytes).metadata();
      expect(meta.format).toBe("jpeg");
      expect(image.mimeType).toBe("image/jpeg");
      expect([meta.width, meta.height]).toEqual([image.width, image.height]);

      const thumb = await sharp(await storage().get(image.thumbKey!)).metadata();
      expect(thumb.format).toBe("jpeg");
      expect(thumb.width).toBeLessThanOrEqual(320);
      const display = await sharp(await storage().get(image.displayKey!)).metadata();
      expect([display.format, display.width, display.height]).toEqual(["jpeg", image.width, image.height]);
    }
  });

  it("spreads the images over all three subjects", async () => {
    const counts = await db.image.groupBy({ by: ["subjectId"], where: { projectId }, _count: true });
    expect(counts.map((c) => c._count)).toEqual([4, 4, 4]);
  });

  it("writes an original, a display copy and a thumbnail per image under the data folder, with no leftover .part files", async () => {
    const root = path.join(dataDir(), "storage");
    const files = readdirSync(root, { recursive: true, withFileTypes: true }).filter((e) => e.isFile());
    expect(files.length).toBe(36);
    expect(files.some((f) => f.name.endsWith(".part"))).toBe(false);
  });
});
