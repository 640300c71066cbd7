import { randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import type { TConsentRecordInput } from "@/lib/consent/schema";
import { db } from "@/lib/server/db";
import { adminWithProject } from "./consent-test-fixtures";
import { storage } from "@/lib/server/storage/storage";
import { createSubject } from "@/lib/server/subjects/subjects";
import { createConsentText } from "./consent-texts";
import { consentDecisions } from "./consent-facts";
import { recordConsent } from "./record-consent";
import { sweepExpiredConsent } from "./sweep-retention";

const DAY = 24 * 60 * 60 * 1000;

// One database per test file: every test here shares it, so each test sweeps at its own `now`
// and asserts on its own subjects; later tests use later clocks than earlier ones.
async function setup(withdrawalPolicy: "purge" | "quarantine" = "purge") {
  const { admin, project } = await adminWithProject({ withdrawalPolicy });
  const text = await createConsentText(
    project.id,
    {
      version: "v1",
      body: "I agree that photos of my hands are used.",
      scopes: ["annotation", "research"],
      biometricNotice: "Hand geometry is biometric data.",
    },
    admin.id,
  );
  return { admin, project, text };
}
type TSetup = Awaited<ReturnType<typeof setup>>;

/** A subject whose consent, recorded at `recordedAt`, runs until `retentionUntil`; with one stored image. */
async function subjectUntil({ admin, project, text }: TSetup, recordedAt: Date, retentionUntil: Date) {
  const subject = await createSubject(project.id, {}, admin.id);
  const input: TConsentRecordInput = {
    consentTextId: text.id,
    scopes: ["annotation"],
    biometricNoticeAcknowledged: true,
    signedAt: recordedAt,
    jurisdiction: "EU",
    isMinor: false,
    retentionUntil,
  };
  const record = await recordConsent(project.id, subject.id, input, null, admin.id, recordedAt);
  const sha = randomBytes(16).toString("hex");
  const key = `projects/${project.id}/images/${sha}/original.jpg`;
  await storage().put(key, randomBytes(32));
  const image = await db.image.create({
    data: {
      projectId: project.id,
      subjectId: subject.id,
      sha256: sha,
      byteSize: 32,
      mimeType: "image/jpeg",
      width: 4,
      height: 4,
      metadata: {},
      originalKey: key,
      displayKey: key,
      thumbKey: key,
    },
  });
  return { subject, record, image, key, input };
}

const exists = (key: string) =>
  storage()
    .get(key)
    .then(
      () => true,
      () => false,
    );

describe("sweepExpiredConsent", () => {
  it("withdraws exactly the subjects whose record in force expired, as the system, and is idempotent", async () => {
    const ctx = await setup("purge");
    const now = new Date(Date.now() + 2 * DAY);
    const past = new Date(Date.now() - 400 * DAY);
    const expired = await subjectUntil(ctx, past, new Date(Date.now() - 10 * DAY));
    const valid = await subjectUntil(ctx, past, new Date(Date.now() + 30 * DAY));
    // Expired on paper, but corrected (before the deadline) with a later one: the correction is in force.
    const corrected = await subjectUntil(ctx, past, new Date(Date.now() - 5 * DAY));
    const fix = await recordConsent(
      ctx.project.id,
      corrected.subject.id,
      { ...corrected.input, supersedesId: corrected.record.id, retentionUntil: new Date(Date.now() + 60 * DAY) },
      null,
      ctx.admin.id,
      new Date(Date.now() - 20 * DAY),
    );
    // Already withdrawn by hand: nothing left to do.
    const manual = await subjectUntil(ctx, past, new Date(Date.now() - 3 * DAY));
    await db.consentRecord.update({
      where: { id: manual.record.id },
      data: { withdrawnAt: new Date(Date.now() - 100 * DAY), withdrawalChannel: "email", withdrawalReason: "asked" },
    });

    const first = await sweepExpiredConsent(now);
    expect(first.expiredSubjects).toBe(1);
    expect(first.purgedLeftovers).toBe(0); // the withdrawal itself already deleted the files

    expect(await db.consentRecord.findUniqueOrThrow({ where: { id: expired.record.id } })).toMatchObject({
      withdrawnAt: now,
      withdrawalChannel: "system",
      withdrawalReason: "retention expired",
    });
    expect(await db.image.findUniqueOrThrow({ where: { id: expired.image.id } })).toMatchObject({
      state: "purged",
      originalKey: null,
    });
    expect(await exists(expired.key)).toBe(false);

    for (const untouched of [valid, corrected]) {
      expect(await db.image.findUniqueOrThrow({ where: { id: untouched.image.id } })).toMatchObject({
        state: "active",
        originalKey: untouched.key,
      });
      expect(await exists(untouched.key)).toBe(true);
      expect(
        await db.consentRecord.count({ where: { subjectId: untouched.subject.id, withdrawnAt: { not: null } } }),
      ).toBe(0);
    }
    expect((await db.consentRecord.findUniqueOrThrow({ where: { id: manual.record.id } })).withdrawalReason).toBe(
      "asked",
    );
    expect((await consentDecisions([corrected.subject.id], "annotation", now)).get(corrected.subject.id)).toEqual({
      allowed: true,
      recordId: fix.id,
    });
    expect((await consentDecisions([expired.subject.id], "annotation", now)).get(expired.subject.id)).toMatchObject({
      allowed: false,
      reason: "withdrawn",
    });

    const events = await db.auditEvent.findMany({
      where: {
        projectId: ctx.project.id,
        targetId: { in: [expired.subject.id, expired.image.id] },
        action: { notIn: ["subject.created", "consent.recorded"] },
      },
    });
    expect(events.map((e) => e.action).sort()).toEqual(["consent.withdrawn", "image.purged", "queues.images_removed"]);
    expect(events.every((e) => e.actorId === null)).toBe(true);
    expect(events.find((e) => e.action === "consent.withdrawn")!.details).toMatchObject({
      reason: "retention expired",
      channel: "system",
      records: 1,
    });
    expect(events.find((e) => e.action === "image.purged")!.details).toMatchObject({
      reason: "consent withdrawn",
      subject: expired.subject.code,
    });
    expect(
      await db.auditEvent.count({
        where: {
          action: "consent.withdrawn",
          targetId: { in: [valid.subject.id, corrected.subject.id, manual.subject.id] },
        },
      }),
    ).toBe(0);

    const eventCount = await db.auditEvent.count();
    expect(await sweepExpiredConsent(now)).toEqual({ expiredSubjects: 0, purgedLeftovers: 0 });
    expect(await db.auditEvent.count()).toBe(eventCount);
  });

  it("withdraws a subject whose correction expired too, and the valid one once its own deadline passes", async () => {
    const ctx = await setup("quarantine");
    const past = new Date(Date.now() - 400 * DAY);
    const a = await subjectUntil(ctx, past, new Date(Date.now() + 100 * DAY));
    await recordConsent(
      ctx.project.id,
      a.subject.id,
      { ...a.input, supersedesId: a.record.id, retentionUntil: new Date(Date.now() + 50 * DAY) },
      null,
      ctx.admin.id,
      past,
    );
    const b = await subjectUntil(ctx, past, new Date(Date.now() + 200 * DAY));

    const later = new Date(Date.now() + 60 * DAY);
    const run = await sweepExpiredConsent(later);
    expect(run.expiredSubjects).toBeGreaterThanOrEqual(1);
    expect(
      await db.consentRecord.count({
        where: { subjectId: a.subject.id, withdrawnAt: later, withdrawalReason: "retention expired" },
      }),
    ).toBe(2);
    expect(await db.image.findUniqueOrThrow({ where: { id: a.image.id } })).toMatchObject({
      state: "quarantined",
      originalKey: a.key,
    });
    expect(await exists(a.key)).toBe(true);
    expect(
      await db.auditEvent.count({ where: { action: "image.quarantined", targetId: a.image.id, actorId: null } }),
    ).toBe(1);
    expect((await db.image.findUniqueOrThrow({ where: { id: b.image.id } })).state).toBe("active");

    const muchLater = new Date(Date.now() + 250 * DAY);
    await sweepExpiredConsent(muchLater);
    expect((await db.image.findUniqueOrThrow({ where: { id: b.image.id } })).state).toBe("quarantined");
    expect((await consentDecisions([b.subject.id], "annotation", muchLater)).get(b.subject.id)).toMatchObject({
      allowed: false,
      reason: "withdrawn",
    });
    expect(await sweepExpiredConsent(muchLater)).toEqual({ expiredSubjects: 0, purgedLeftovers: 0 });
  });
});
