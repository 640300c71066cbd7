import { randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import { AppError } from "@/lib/errors/app-error";
import { CONSENT_SCOPES, type TConsentRecordInput } from "@/lib/consent/schema";
import { mayUseImage } from "@/lib/consent/rules";
import { ZCreateUser } from "@/lib/users/schema";
import { db } from "@/lib/server/db";
import { createUser } from "@/lib/server/users/create-user";
import { adminWithProject } from "./consent-test-fixtures";
import { storage } from "@/lib/server/storage/storage";
import { createSubject } from "@/lib/server/subjects/subjects";
import { getSubjectDetail } from "@/lib/server/subjects/subject-detail";
import { createConsentText } from "./consent-texts";
import { consentDecisions, consentFactsBySubject } from "./consent-facts";
import { recordConsent } from "./record-consent";
import { purgeLeftoverFiles, withdrawConsent } from "./withdraw-consent";

const DAY = 24 * 60 * 60 * 1000;
const unique = () => randomBytes(4).toString("hex");
const ALL = ["annotation", "research", "commercial", "redistribution"] as const;

async function setup(withdrawalPolicy: "purge" | "quarantine" = "purge") {
  const { admin, project } = await adminWithProject({ withdrawalPolicy });
  const text = await createConsentText(
    project.id,
    {
      version: "v1",
      body: "I agree that photos of my hands are used.",
      scopes: [...ALL],
      biometricNotice: "Hand geometry is biometric data.",
    },
    admin.id,
  );
  return { admin, project, text };
}

type TSetup = Awaited<ReturnType<typeof setup>>;
const consentInput = (consentTextId: string, over: Partial<TConsentRecordInput> = {}): TConsentRecordInput => ({
  consentTextId,
  scopes: [...ALL],
  biometricNoticeAcknowledged: true,
  signedAt: new Date(Date.now() - DAY),
  jurisdiction: "EU",
  isMinor: false,
  ...over,
});

/** A consenting subject with `images` stored images (original, display and thumbnail files). */
async function consentingSubject({ admin, project, text }: TSetup, images = 2) {
  const subject = await createSubject(project.id, {}, admin.id);
  const record = await recordConsent(project.id, subject.id, consentInput(text.id), null, admin.id);
  const rows = [];
  for (let i = 0; i < images; i++) {
    const sha = randomBytes(16).toString("hex");
    const base = `projects/${project.id}/images/${sha}`;
    for (const name of ["original.jpg", "display.jpg", "thumb.jpg"])
      await storage().put(`${base}/${name}`, randomBytes(64));
    rows.push(
      await db.image.create({
        data: {
          projectId: project.id,
          subjectId: subject.id,
          sha256: sha,
          byteSize: 64,
          mimeType: "image/jpeg",
          width: 8,
          height: 8,
          metadata: {},
          originalKey: `${base}/original.jpg`,
          displayKey: `${base}/display.jpg`,
          thumbKey: `${base}/thumb.jpg`,
        },
      }),
    );
  }
  return { subject, record, images: rows };
}

const keysOf = (image: { originalKey: string | null; displayKey: string | null; thumbKey: string | null }) => [
  image.originalKey!,
  image.displayKey!,
  image.thumbKey!,
];
const exists = (key: string) =>
  storage()
    .get(key)
    .then(
      () => true,
      (e: { code?: string }) => (e.code === "ENOENT" ? false : Promise.reject(e)),
    );

async function expectAppError(promise: Promise<unknown>, code: string) {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(AppError);
  expect((error as AppError).code).toBe(code);
  return error as AppError;
}

describe("withdrawConsent with policy purge", () => {
  it("purges images and their files, nulls keys, lists earlier exports, releases leases, and audits every effect", async () => {
    const ctx = await setup("purge");
    const { subject, record, images } = await consentingSubject(ctx, 2);
    const bystander = await consentingSubject(ctx, 1);
    const annotator = await createUser(
      ZCreateUser.parse({ email: `a-${unique()}@example.test`, name: "Annotator", password: "long enough pw" }),
      null,
    );
    const leased = await db.annotation.create({
      data: {
        imageId: images[0].id,
        annotatorId: annotator.id,
        imageFlags: {},
        qualityFlags: {},
        leaseExpiresAt: new Date(Date.now() + 3_600_000),
      },
    });
    const otherLease = await db.annotation.create({
      data: {
        imageId: bystander.images[0].id,
        annotatorId: annotator.id,
        imageFlags: {},
        qualityFlags: {},
        leaseExpiresAt: new Date(Date.now() + 3_600_000),
      },
    });
    const earlier = await db.export.create({
      data: { projectId: ctx.project.id, requestedById: ctx.admin.id, status: "done", options: {} },
    });
    const unrelated = await db.export.create({
      data: { projectId: ctx.project.id, requestedById: ctx.admin.id, status: "done", options: {} },
    });
    await db.exportImage.createMany({
      data: [
        ...images.map((i) => ({ exportId: earlier.id, imageId: i.id })),
        { exportId: unrelated.id, imageId: bystander.images[0].id },
      ],
    });

    const result = await withdrawConsent(
      ctx.project.id,
      subject.id,
      { reason: "asked by email", channel: "email" },
      ctx.admin.id,
    );
    expect(result).toMatchObject({ withdrawnRecords: 1, policy: "purge", images: 2 });
    expect(result.affectedExports).toMatchObject([
      { id: earlier.id, createdAt: earlier.createdAt, requestedBy: ctx.admin.email, downloads: [] },
    ]);
    expect(result.affectedExports[0]!.revokedAt).toBeInstanceOf(Date);
    expect((await db.export.findUniqueOrThrow({ where: { id: unrelated.id } })).revokedAt).toBeNull();

    for (const image of images) {
      const row = await db.image.findUniqueOrThrow({ where: { id: image.id } });
      expect(row).toMatchObject({ state: "purged", originalKey: null, displayKey: null, thumbKey: null });
      expect(row.purgedAt).toBeInstanceOf(Date);
      for (const key of keysOf(image)) expect(await exists(key), key).toBe(false);
    }
    for (const key of keysOf(bystander.images[0])) expect(await exists(key)).toBe(true);
    expect((await db.image.findUniqueOrThrow({ where: { id: bystander.images[0].id } })).state).toBe("active");

    expect((await db.annotation.findUniqueOrThrow({ where: { id: leased.id } })).leaseExpiresAt).toBeNull();
    expect((await db.annotation.findUniqueOrThrow({ where: { id: otherLease.id } })).leaseExpiresAt).not.toBeNull();

    const stored = await db.consentRecord.findUniqueOrThrow({ where: { id: record.id } });
    expect(stored).toMatchObject({ withdrawalChannel: "email", withdrawalReason: "asked by email" });
    expect(stored.withdrawnAt).toBeInstanceOf(Date);

    const events = await db.auditEvent.findMany({
      where: {
        projectId: ctx.project.id,
        actorId: ctx.admin.id,
        action: {
          in: ["consent.withdrawn", "image.purged", "queues.images_removed", "exports.affected_by_withdrawal"],
        },
      },
    });
    const byAction = (action: string) => events.filter((e) => e.action === action);
    expect(byAction("consent.withdrawn")).toHaveLength(1);
    expect(byAction("consent.withdrawn")[0]).toMatchObject({
      targetId: subject.id,
      details: { code: subject.code, reason: "asked by email", channel: "email", records: 1 },
    });
    expect(
      byAction("image.purged")
        .map((e) => e.targetId)
        .sort(),
    ).toEqual(images.map((i) => i.id).sort());
    expect(byAction("queues.images_removed")[0].details).toEqual({ images: 2, releasedClaims: 1 });
    expect(byAction("exports.affected_by_withdrawal")[0].details).toEqual({ exportIds: [earlier.id], recipients: [] });

    // Recipients can still be told afterwards: the subject's page lists the export.
    const detail = await getSubjectDetail(ctx.project.id, subject.id);
    expect(detail.exports.map((e) => e.id)).toEqual([earlier.id]);
    expect(detail.images).toEqual({ purged: 2 });
  });

  it("refuses a second withdrawal with conflict and writes nothing more", async () => {
    const ctx = await setup("purge");
    const { subject } = await consentingSubject(ctx, 1);
    await withdrawConsent(ctx.project.id, subject.id, { reason: "none given", channel: "phone" }, ctx.admin.id);
    const events = await db.auditEvent.count({ where: { projectId: ctx.project.id } });
    const before = await db.consentRecord.findFirstOrThrow({ where: { subjectId: subject.id } });
    await expectAppError(
      withdrawConsent(ctx.project.id, subject.id, { reason: "again", channel: "post" }, ctx.admin.id),
      "conflict",
    );
    expect(await db.auditEvent.count({ where: { projectId: ctx.project.id } })).toBe(events);
    expect(await db.consentRecord.findFirstOrThrow({ where: { subjectId: subject.id } })).toEqual(before);
  });

  it("lets only one of two simultaneous withdrawals through: one set of effects, the other a conflict", async () => {
    const ctx = await setup("purge");
    const { subject } = await consentingSubject(ctx, 1);
    const results = await Promise.allSettled(
      [0, 1].map(() =>
        withdrawConsent(ctx.project.id, subject.id, { reason: "twice", channel: "email" }, ctx.admin.id),
      ),
    );
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
    const rejected = results.find((r) => r.status === "rejected") as PromiseRejectedResult;
    expect((rejected.reason as AppError).code).toBe("conflict");
    expect(await db.auditEvent.count({ where: { projectId: ctx.project.id, action: "consent.withdrawn" } })).toBe(1);
    expect(await db.auditEvent.count({ where: { projectId: ctx.project.id, action: "image.purged" } })).toBe(1);
  });

  it("refuses another project's subject with not_found and changes nothing", async () => {
    const ctx = await setup("purge");
    const other = await setup("purge");
    const { subject, record, images } = await consentingSubject(ctx, 1);
    const events = await db.auditEvent.count();
    await expectAppError(
      withdrawConsent(other.project.id, subject.id, { reason: "x", channel: "email" }, other.admin.id),
      "not_found",
    );
    expect((await db.consentRecord.findUniqueOrThrow({ where: { id: record.id } })).withdrawnAt).toBeNull();
    expect(await db.image.findUniqueOrThrow({ where: { id: images[0].id } })).toMatchObject({
      state: "active",
      originalKey: images[0].originalKey,
    });
    for (const key of keysOf(images[0])) expect(await exists(key)).toBe(true);
    expect(await db.auditEvent.count()).toBe(events);
  });

  it("makes every purpose 'withdrawn'; a renewed consent allows again but purged images stay purged", async () => {
    const ctx = await setup("purge");
    const { subject, images } = await consentingSubject(ctx, 1);
    await withdrawConsent(ctx.project.id, subject.id, { reason: "changed mind", channel: "in_person" }, ctx.admin.id);
    const after = new Date();
    for (const scope of CONSENT_SCOPES) {
      expect((await consentDecisions([subject.id], scope, after)).get(subject.id), scope).toMatchObject({
        allowed: false,
        reason: "withdrawn",
      });
    }
    const renewed = await recordConsent(
      ctx.project.id,
      subject.id,
      consentInput(ctx.text.id, { signedAt: new Date(), scopes: ["annotation"] }),
      null,
      ctx.admin.id,
    );
    const later = new Date(Date.now() + 1000);
    expect((await consentDecisions([subject.id], "annotation", later)).get(subject.id)).toEqual({
      allowed: true,
      recordId: renewed.id,
    });
    expect((await consentDecisions([subject.id], "research", later)).get(subject.id)).toMatchObject({
      allowed: false,
      reason: "scope_missing",
    });
    const image = await db.image.findUniqueOrThrow({ where: { id: images[0].id } });
    expect(image).toMatchObject({ state: "purged", originalKey: null });
    const facts = (await consentFactsBySubject([subject.id])).get(subject.id)!;
    expect(mayUseImage(image, facts, "annotation", later)).toMatchObject({
      allowed: false,
      reason: "image_unavailable",
    });
    for (const key of keysOf(images[0])) expect(await exists(key)).toBe(false);
  });
});

describe("withdrawConsent with policy quarantine", () => {
  it("keeps files and keys, marks images quarantined, and audits image.quarantined", async () => {
    const ctx = await setup("quarantine");
    const { subject, images } = await consentingSubject(ctx, 2);
    const result = await withdrawConsent(
      ctx.project.id,
      subject.id,
      { reason: "web", channel: "web_form" },
      ctx.admin.id,
    );
    expect(result).toMatchObject({ policy: "quarantine", images: 2, affectedExports: [] });
    for (const image of images) {
      const row = await db.image.findUniqueOrThrow({ where: { id: image.id } });
      expect(row).toMatchObject({
        state: "quarantined",
        purgedAt: null,
        originalKey: image.originalKey,
        displayKey: image.displayKey,
        thumbKey: image.thumbKey,
      });
      for (const key of keysOf(image)) expect(await exists(key)).toBe(true);
    }
    expect(await db.auditEvent.count({ where: { projectId: ctx.project.id, action: "image.quarantined" } })).toBe(2);
    expect(await db.auditEvent.count({ where: { projectId: ctx.project.id, action: "image.purged" } })).toBe(0);
    expect(
      await db.auditEvent.count({ where: { projectId: ctx.project.id, action: "exports.affected_by_withdrawal" } }),
    ).toBe(0);
    expect(await purgeLeftoverFiles({ subjectId: subject.id })).toBe(0);
    for (const key of keysOf(images[0])) expect(await exists(key)).toBe(true);
  });
});

describe("purgeLeftoverFiles", () => {
  it("deletes files of purged images that still have keys (a crash between commit and delete)", async () => {
    const ctx = await setup("purge");
    const { images } = await consentingSubject(ctx, 1);
    await db.image.update({ where: { id: images[0].id }, data: { state: "purged", purgedAt: new Date() } });
    expect(await purgeLeftoverFiles()).toBeGreaterThanOrEqual(1);
    expect(await db.image.findUniqueOrThrow({ where: { id: images[0].id } })).toMatchObject({
      originalKey: null,
      displayKey: null,
      thumbKey: null,
    });
    for (const key of keysOf(images[0])) expect(await exists(key)).toBe(false);
    expect(await purgeLeftoverFiles()).toBe(0);
  });
});
