import { createHash, randomBytes } from "node:crypto";
import { readdirSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { AppError } from "@/lib/errors/app-error";
import { consentDecision } from "@/lib/consent/rules";
import type { TConsentRecordInput } from "@/lib/consent/schema";
import { dataDir } from "@/lib/env";
import { db } from "@/lib/server/db";
import { adminWithProject } from "./consent-test-fixtures";
import { storage } from "@/lib/server/storage/storage";
import { createSubject } from "@/lib/server/subjects/subjects";
import { getSubjectDetail } from "@/lib/server/subjects/subject-detail";
import { createConsentText, listConsentTexts } from "./consent-texts";
import { consentFactsBySubject } from "./consent-facts";
import { recordConsent } from "./record-consent";

const DAY = 24 * 60 * 60 * 1000;
const PDF = Buffer.from("%PDF-1.7\n1 0 obj <<>> endobj\n%%EOF\n");
const PNG = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), randomBytes(32)]);

async function setup(settings: Record<string, unknown> = {}) {
  const { admin, project } = await adminWithProject(settings);
  const text = await createConsentText(
    project.id,
    {
      version: "v1",
      body: "I agree that photos of my hands are annotated.",
      scopes: ["annotation", "research"],
      biometricNotice: "Hand geometry is biometric data.",
    },
    admin.id,
  );
  const subject = await createSubject(project.id, {}, admin.id);
  return { admin, project, text, subject };
}

const input = (consentTextId: string, over: Partial<TConsentRecordInput> = {}): TConsentRecordInput => ({
  consentTextId,
  scopes: ["annotation"],
  biometricNoticeAcknowledged: true,
  signedAt: new Date(Date.now() - DAY),
  jurisdiction: "EU",
  isMinor: false,
  ...over,
});

async function expectAppError(promise: Promise<unknown>, code: string) {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(AppError);
  expect((error as AppError).code).toBe(code);
  return error as AppError;
}

/** Every file stored under the project's consent-form folder. */
function storedForms(projectId: string): string[] {
  try {
    return readdirSync(path.join(dataDir(), "storage", "projects", projectId, "consent"), {
      recursive: true,
      withFileTypes: true,
    })
      .filter((entry) => entry.isFile())
      .map((entry) => entry.name);
  } catch (error) {
    if ((error as { code?: string }).code === "ENOENT") return [];
    throw error;
  }
}

describe("consent texts", () => {
  it("hashes the body, audits, and refuses a second text with the same version", async () => {
    const { admin, project, text } = await setup();
    expect(text.sha256).toBe(
      createHash("sha256").update("I agree that photos of my hands are annotated.").digest("hex"),
    );
    const body = "A different wording that nobody has signed yet.";
    const error = await expectAppError(
      createConsentText(
        project.id,
        { version: "v1", body, scopes: ["annotation"], biometricNotice: "Other notice text." },
        admin.id,
      ),
      "conflict",
    );
    expect(error.fields).toHaveProperty("version");
    const texts = await listConsentTexts(project.id);
    expect(texts).toHaveLength(1);
    expect(texts[0]).toMatchObject({ version: "v1", sha256: text.sha256, recordCount: 0 });
    expect(await db.auditEvent.count({ where: { projectId: project.id, action: "consent_text.created" } })).toBe(1);
  });
});

describe("recordConsent refusals change nothing", () => {
  it("refuses each invalid record: no row, no stored form, lastInteractionAt unchanged, no audit event", async () => {
    const { admin, project, text, subject } = await setup();
    const other = await setup();
    const otherRecord = await recordConsent(
      other.project.id,
      other.subject.id,
      input(other.text.id),
      null,
      other.admin.id,
    );
    const now = new Date();
    const cases: [string, () => Promise<unknown>, string][] = [
      [
        "text of another project",
        () =>
          recordConsent(project.id, subject.id, input(other.text.id), { bytes: PDF, filename: "f.pdf" }, admin.id, now),
        "invalid_input",
      ],
      [
        "scope not in the text",
        () =>
          recordConsent(
            project.id,
            subject.id,
            input(text.id, { scopes: ["annotation", "commercial"] }),
            { bytes: PDF, filename: "f.pdf" },
            admin.id,
            now,
          ),
        "invalid_input",
      ],
      [
        "signature in the future",
        () =>
          recordConsent(
            project.id,
            subject.id,
            input(text.id, { signedAt: new Date(now.getTime() + 60 * 60_000) }),
            { bytes: PDF, filename: "f.pdf" },
            admin.id,
            now,
          ),
        "invalid_input",
      ],
      [
        "retention beyond 3 years",
        () =>
          recordConsent(
            project.id,
            subject.id,
            input(text.id, { retentionUntil: new Date(now.getTime() + 3 * 365 * DAY + DAY) }),
            { bytes: PDF, filename: "f.pdf" },
            admin.id,
            now,
          ),
        "invalid_input",
      ],
      [
        "retention already past",
        () =>
          recordConsent(
            project.id,
            subject.id,
            input(text.id, { retentionUntil: new Date(now.getTime() - DAY) }),
            { bytes: PDF, filename: "f.pdf" },
            admin.id,
            now,
          ),
        "invalid_input",
      ],
      [
        "correcting another subject's record",
        () =>
          recordConsent(
            project.id,
            subject.id,
            input(text.id, { supersedesId: otherRecord.id }),
            { bytes: PDF, filename: "f.pdf" },
            admin.id,
            now,
          ),
        "invalid_input",
      ],
      [
        "a text file as signed form",
        () =>
          recordConsent(
            project.id,
            subject.id,
            input(text.id),
            { bytes: Buffer.from("I signed, honestly.\n"), filename: "form.pdf" },
            admin.id,
            now,
          ),
        "unsupported_media_type",
      ],
      [
        "an empty signed form",
        () =>
          recordConsent(
            project.id,
            subject.id,
            input(text.id),
            { bytes: Buffer.alloc(0), filename: "form.pdf" },
            admin.id,
            now,
          ),
        "invalid_input",
      ],
      [
        "a subject of another project",
        () =>
          recordConsent(project.id, other.subject.id, input(text.id), { bytes: PDF, filename: "f.pdf" }, admin.id, now),
        "not_found",
      ],
    ];
    const before = await db.subject.findUniqueOrThrow({ where: { id: subject.id } });
    for (const [label, attempt, code] of cases) {
      const error = await attempt().then(
        () => null,
        (e: unknown) => e,
      );
      expect(error, label).toBeInstanceOf(AppError);
      expect((error as AppError).code, label).toBe(code);
    }
    expect(await db.consentRecord.count({ where: { subject: { projectId: project.id } } })).toBe(0);
    expect(storedForms(project.id)).toEqual([]);
    expect((await db.subject.findUniqueOrThrow({ where: { id: subject.id } })).lastInteractionAt).toEqual(
      before.lastInteractionAt,
    );
    expect(await db.auditEvent.count({ where: { projectId: project.id, action: { startsWith: "consent." } } })).toBe(0);
    expect(await db.consentRecord.count({ where: { subjectId: other.subject.id } })).toBe(1);
  });

  it("refuses correcting an already-corrected record with conflict, keeping the first correction", async () => {
    const { admin, project, text, subject } = await setup();
    const first = await recordConsent(project.id, subject.id, input(text.id), null, admin.id);
    const fix = await recordConsent(
      project.id,
      subject.id,
      input(text.id, { supersedesId: first.id, jurisdiction: "US-IL" }),
      null,
      admin.id,
    );
    const lastInteraction = (await db.subject.findUniqueOrThrow({ where: { id: subject.id } })).lastInteractionAt;
    await expectAppError(
      recordConsent(
        project.id,
        subject.id,
        input(text.id, { supersedesId: first.id }),
        { bytes: PNG, filename: "f.png" },
        admin.id,
      ),
      "conflict",
    );
    expect((await db.consentRecord.findMany({ where: { subjectId: subject.id } })).map((r) => r.id).sort()).toEqual(
      [first.id, fix.id].sort(),
    );
    expect(storedForms(project.id)).toEqual([]);
    expect((await db.subject.findUniqueOrThrow({ where: { id: subject.id } })).lastInteractionAt).toEqual(
      lastInteraction,
    );
  });

  it("lets only one of two concurrent corrections of one record through, leaving one stored form", async () => {
    const { admin, project, text, subject } = await setup();
    const first = await recordConsent(project.id, subject.id, input(text.id), null, admin.id);
    const results = await Promise.allSettled(
      [0, 1].map(() =>
        recordConsent(
          project.id,
          subject.id,
          input(text.id, { supersedesId: first.id }),
          { bytes: PDF, filename: "f.pdf" },
          admin.id,
        ),
      ),
    );
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
    const rejected = results.find((r) => r.status === "rejected") as PromiseRejectedResult;
    expect(rejected.reason).toBeInstanceOf(AppError);
    expect((rejected.reason as AppError).code).toBe("conflict");
    expect(await db.consentRecord.count({ where: { subjectId: subject.id } })).toBe(2);
    expect(storedForms(project.id)).toHaveLength(1);
  });
});

describe("recordConsent", () => {
  it("stores a valid signed form privately with its sha256 and mime type, and audits without the key", async () => {
    const { admin, project, text, subject } = await setup();
    const now = new Date();
    const record = await recordConsent(
      project.id,
      subject.id,
      input(text.id),
      { bytes: PNG, filename: "scan.pdf" },
      admin.id,
      now,
    );
    expect(record).toMatchObject({
      formMimeType: "image/png",
      formSha256: createHash("sha256").update(PNG).digest("hex"),
      collectedById: admin.id,
    });
    expect(record.formStorageKey).toMatch(
      new RegExp(`^projects/${project.id}/consent/${subject.id}/[0-9a-f-]+\\.png$`),
    );
    expect(await storage().get(record.formStorageKey!)).toEqual(PNG);
    expect(storedForms(project.id)).toHaveLength(1);
    expect(path.relative(path.join(process.cwd(), "public"), path.join(dataDir(), "storage")).startsWith("..")).toBe(
      true,
    );
    expect((await db.subject.findUniqueOrThrow({ where: { id: subject.id } })).lastInteractionAt).toEqual(now);
    const event = await db.auditEvent.findFirstOrThrow({
      where: { projectId: project.id, action: "consent.recorded" },
    });
    expect(event).toMatchObject({
      actorId: admin.id,
      targetId: subject.id,
      details: { recordId: record.id, textVersion: "v1", signedForm: true, supersedes: null },
    });
    expect(JSON.stringify(event.details)).not.toContain(record.formStorageKey!);
  });

  it("defaults retention to signedAt + project.retentionDays, capped at three years after now", async () => {
    const { admin, project, text, subject } = await setup({ retentionDays: 30 });
    const now = new Date();
    const signedAt = new Date(now.getTime() - 10 * DAY);
    const short = await recordConsent(project.id, subject.id, input(text.id, { signedAt }), null, admin.id, now);
    expect(short.retentionUntil).toEqual(new Date(signedAt.getTime() + 30 * DAY));

    // A signature a few minutes ahead (clock skew) with the maximal policy is capped at now + 3 years.
    await db.project.update({ where: { id: project.id }, data: { retentionDays: 3 * 365 } });
    const ahead = new Date(now.getTime() + 4 * 60_000);
    const capped = await recordConsent(
      project.id,
      subject.id,
      input(text.id, { signedAt: ahead }),
      null,
      admin.id,
      now,
    );
    expect(capped.retentionUntil).toEqual(new Date(now.getTime() + 3 * 365 * DAY));

    const requested = new Date(now.getTime() + 100 * DAY);
    const explicit = await recordConsent(
      project.id,
      subject.id,
      input(text.id, { retentionUntil: requested }),
      null,
      admin.id,
      now,
    );
    expect(explicit.retentionUntil).toEqual(requested);
  });

  it("keeps guardian fields only for minors", async () => {
    const { admin, project, text, subject } = await setup();
    const adult = await recordConsent(
      project.id,
      subject.id,
      input(text.id, { guardianName: "Someone", guardianRelation: "parent" }),
      null,
      admin.id,
    );
    expect(adult).toMatchObject({ isMinor: false, guardianName: null, guardianRelation: null });
  });

  it("a correction supersedes: history keeps both, the decision follows the correction", async () => {
    const { admin, project, text, subject } = await setup();
    const first = await recordConsent(
      project.id,
      subject.id,
      input(text.id, { scopes: ["annotation", "research"] }),
      null,
      admin.id,
    );
    const fix = await recordConsent(
      project.id,
      subject.id,
      input(text.id, { scopes: ["annotation"], supersedesId: first.id }),
      null,
      admin.id,
    );
    const detail = await getSubjectDetail(project.id, subject.id);
    expect(detail.records.map((r) => [r.id, r.superseded]).sort()).toEqual(
      [
        [first.id, true],
        [fix.id, false],
      ].sort(),
    );
    expect(detail.recordInForceId).toBe(fix.id);
    expect(detail.purposes.annotation).toMatchObject({ allowed: true, recordId: fix.id });
    expect(detail.purposes.research).toMatchObject({ allowed: false, reason: "scope_missing", recordId: fix.id });
    const facts = (await consentFactsBySubject([subject.id])).get(subject.id)!;
    expect(consentDecision(facts, "research", new Date())).toMatchObject({ allowed: false, reason: "scope_missing" });
    const event = await db.auditEvent.findFirstOrThrow({
      where: { projectId: project.id, action: "consent.corrected" },
    });
    expect(event.details).toMatchObject({ recordId: fix.id, supersedes: first.id });
  });
});

describe("recordConsent never revives or back-dates consent", () => {
  it("refuses to correct a withdrawn record; a renewed consent must be a new record", async () => {
    const { admin, project, text, subject } = await setup();
    const first = await recordConsent(project.id, subject.id, input(text.id), null, admin.id);
    const { withdrawConsent } = await import("./withdraw-consent");
    await withdrawConsent(project.id, subject.id, { reason: "asked", channel: "email" }, admin.id);
    await expectAppError(
      recordConsent(
        project.id,
        subject.id,
        input(text.id, { jurisdiction: "US-IL", supersedesId: first.id }),
        null,
        admin.id,
      ),
      "conflict",
    );
    const facts = (await consentFactsBySubject([subject.id])).get(subject.id)!;
    expect(facts).toHaveLength(1);
    expect(consentDecision(facts, "annotation", new Date())).toMatchObject({ allowed: false, reason: "withdrawn" });
  });

  it("refuses a signature whose retention period is already over, and stores nothing", async () => {
    const { admin, project, text, subject } = await setup({ retentionDays: 365 });
    const error = await expectAppError(
      recordConsent(
        project.id,
        subject.id,
        input(text.id, { signedAt: new Date(Date.now() - 4 * 365 * DAY) }),
        { bytes: PDF, filename: "form.pdf" },
        admin.id,
      ),
      "invalid_input",
    );
    expect(error.fields).toHaveProperty("signedAt");
    expect(await db.consentRecord.count({ where: { subjectId: subject.id } })).toBe(0);
    expect(storedForms(project.id)).toEqual([]);
  });
});

describe("createConsentText under concurrency", () => {
  it("lets one of several identical versions through and answers conflict to the rest", async () => {
    const { admin, project } = await setup();
    const body = {
      version: "same",
      body: "I agree that photos of my hands are annotated.",
      scopes: ["annotation" as const],
      biometricNotice: "Hand geometry is biometric data.",
    };
    const outcomes = await Promise.allSettled(
      Array.from({ length: 6 }, () => createConsentText(project.id, body, admin.id)),
    );
    expect(outcomes.filter((o) => o.status === "fulfilled")).toHaveLength(1);
    for (const outcome of outcomes)
      if (outcome.status === "rejected") expect((outcome.reason as AppError).code).toBe("conflict");
    expect((await listConsentTexts(project.id)).filter((t) => t.version === "same")).toHaveLength(1);
  });
});
