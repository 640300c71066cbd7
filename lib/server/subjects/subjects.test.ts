import { randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import { AppError } from "@/lib/errors/app-error";
import { ZProjectSettings } from "@/lib/project/schema";
import { ZSubjectInput } from "@/lib/subjects/schema";
import { ZCreateUser } from "@/lib/users/schema";
import { db } from "@/lib/server/db";
import type { TCurrentUser } from "@/lib/server/auth/current-user";
import { createUser } from "@/lib/server/users/create-user";
import { createProject } from "@/lib/server/projects/create-project";
import { createConsentText } from "@/lib/server/consent/consent-texts";
import { recordConsent } from "@/lib/server/consent/record-consent";
import {
  createSubject,
  getSubjectByCodeOrThrow,
  getSubjectOrThrow,
  listSubjects,
  updateSubject,
} from "@/lib/server/subjects/subjects";
import { getSubjectDetail } from "@/lib/server/subjects/subject-detail";

const unique = () => randomBytes(4).toString("hex");

async function newAdmin(): Promise<TCurrentUser> {
  const input = ZCreateUser.parse({
    email: `a-${unique()}@example.test`,
    name: "Admin",
    password: "long enough pw",
    isAdmin: true,
  });
  const user = await createUser(input, null);
  return { id: user.id, email: user.email, name: user.name, isAdmin: user.isAdmin, mustChangePassword: false };
}

async function setup() {
  const admin = await newAdmin();
  const project = await createProject(ZProjectSettings.parse({ name: `Project ${unique()}` }), admin);
  return { admin, project };
}

async function expectAppError(promise: Promise<unknown>, code: string) {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(AppError);
  expect((error as AppError).code).toBe(code);
  return error as AppError;
}

describe("createSubject", () => {
  it("assigns S-0001, S-0002, … per project and audits the code only", async () => {
    const { admin, project } = await setup();
    const other = await createProject(ZProjectSettings.parse({ name: `Other ${unique()}` }), admin);
    const a = await createSubject(project.id, ZSubjectInput.parse({ monkSkinTone: 6, ageBand: "25-34" }), admin.id);
    const b = await createSubject(project.id, ZSubjectInput.parse({}), admin.id);
    const c = await createSubject(other.id, ZSubjectInput.parse({}), admin.id);
    expect([a.code, b.code, c.code]).toEqual(["S-0001", "S-0002", "S-0001"]);
    expect(a).toMatchObject({ monkSkinTone: 6, ageBand: "25-34" });

    const event = await db.auditEvent.findFirstOrThrow({ where: { action: "subject.created", targetId: a.id } });
    expect(event).toMatchObject({
      actorId: admin.id,
      projectId: project.id,
      targetType: "subject",
      details: { code: "S-0001" },
    });
    // Special-category data never reaches the audit log.
    expect(JSON.stringify(event.details)).not.toMatch(/25-34|monk|6/i);
  });

  it("skips a code already taken instead of failing", async () => {
    const { admin, project } = await setup();
    await db.subject.create({ data: { projectId: project.id, code: "S-0002" } });
    const first = await createSubject(project.id, ZSubjectInput.parse({}), admin.id);
    expect(first.code).toBe("S-0003");
  });

  it("gives 10 concurrently created subjects 10 distinct sequential codes", async () => {
    const { admin, project } = await setup();
    const created = await Promise.all(
      Array.from({ length: 10 }, () => createSubject(project.id, ZSubjectInput.parse({}), admin.id)),
    );
    const codes = created.map((s) => s.code).sort();
    expect(codes).toEqual(Array.from({ length: 10 }, (_, i) => `S-${String(i + 1).padStart(4, "0")}`));
    expect(await db.subject.count({ where: { projectId: project.id } })).toBe(10);
    expect(await db.auditEvent.count({ where: { projectId: project.id, action: "subject.created" } })).toBe(10);
  });
});

describe("getSubjectOrThrow and updateSubject", () => {
  it("never finds a subject through another project's id", async () => {
    const { admin, project } = await setup();
    const other = await createProject(ZProjectSettings.parse({ name: `Other ${unique()}` }), admin);
    const subject = await createSubject(project.id, ZSubjectInput.parse({}), admin.id);
    expect((await getSubjectOrThrow(project.id, subject.id)).code).toBe("S-0001");
    await expectAppError(getSubjectOrThrow(other.id, subject.id), "not_found");
    await expectAppError(getSubjectOrThrow(project.id, "no-such-id"), "not_found");
    await expectAppError(getSubjectByCodeOrThrow(other.id, subject.code), "not_found");
    expect((await getSubjectByCodeOrThrow(project.id, "S-0001")).id).toBe(subject.id);
  });

  it("updates given fields, audits field names without values, and refuses another project's subject", async () => {
    const { admin, project } = await setup();
    const other = await createProject(ZProjectSettings.parse({ name: `Other ${unique()}` }), admin);
    const subject = await createSubject(project.id, ZSubjectInput.parse({ monkSkinTone: 3 }), admin.id);
    const updated = await updateSubject(project.id, subject.id, { monkSkinTone: 8, dominantHand: "left" }, admin.id);
    expect(updated).toMatchObject({ monkSkinTone: 8, dominantHand: "left", code: "S-0001" });
    const event = await db.auditEvent.findFirstOrThrow({ where: { action: "subject.updated", targetId: subject.id } });
    expect(event.details).toEqual({ fields: ["monkSkinTone", "dominantHand"] });

    await expectAppError(updateSubject(other.id, subject.id, { monkSkinTone: 1 }, admin.id), "not_found");
    expect((await db.subject.findUniqueOrThrow({ where: { id: subject.id } })).monkSkinTone).toBe(8);
    expect(await db.auditEvent.count({ where: { action: "subject.updated", targetId: subject.id } })).toBe(1);
  });
});

describe("listSubjects", () => {
  it("lists only this project's subjects by code, searches code (any case) and notes, counts images", async () => {
    const { admin, project } = await setup();
    const other = await createProject(ZProjectSettings.parse({ name: `Other ${unique()}` }), admin);
    const one = await createSubject(project.id, ZSubjectInput.parse({ notes: "met at the Berlin session" }), admin.id);
    await createSubject(project.id, ZSubjectInput.parse({ notes: "remote" }), admin.id);
    await createSubject(other.id, ZSubjectInput.parse({ notes: "Berlin too" }), admin.id);
    await db.image.create({
      data: {
        projectId: project.id,
        subjectId: one.id,
        sha256: unique(),
        byteSize: 1,
        mimeType: "image/jpeg",
        width: 1,
        height: 1,
        metadata: {},
      },
    });

    const all = await listSubjects(project.id);
    expect(all.map((s) => s.code)).toEqual(["S-0001", "S-0002"]);
    expect(all.map((s) => s._count.images)).toEqual([1, 0]);
    expect((await listSubjects(project.id, " s-0002 ")).map((s) => s.code)).toEqual(["S-0002"]);
    expect((await listSubjects(project.id, "Berlin")).map((s) => s.code)).toEqual(["S-0001"]);
    expect((await listSubjects(project.id, "bERLIN")).map((s) => s.code)).toEqual(["S-0001"]);
    expect(await listSubjects(project.id, "nobody")).toEqual([]);
  });
});

describe("getSubjectDetail", () => {
  it("shows history, the record in force, per-purpose decisions, and never the form's storage key", async () => {
    const { admin, project } = await setup();
    const other = await createProject(ZProjectSettings.parse({ name: `Other ${unique()}` }), admin);
    const subject = await createSubject(project.id, ZSubjectInput.parse({}), admin.id);
    const text = await createConsentText(
      project.id,
      {
        version: "v1",
        body: "I agree that photos of my hands are used.",
        scopes: ["annotation", "research"],
        biometricNotice: "Hand geometry is biometric.",
      },
      admin.id,
    );
    const empty = await getSubjectDetail(project.id, subject.id);
    expect(empty.recordInForceId).toBeNull();
    expect(empty.purposes.annotation).toMatchObject({ allowed: false, reason: "no_consent" });

    const signedAt = new Date(Date.now() - 60_000);
    const pdf = Buffer.from("%PDF-1.4\nsigned\n");
    const record = await recordConsent(
      project.id,
      subject.id,
      {
        consentTextId: text.id,
        scopes: ["annotation"],
        biometricNoticeAcknowledged: true,
        signedAt,
        jurisdiction: "EU",
        isMinor: false,
      },
      { bytes: pdf, filename: "form.pdf" },
      admin.id,
    );
    const detail = await getSubjectDetail(project.id, subject.id);
    expect(detail.recordInForceId).toBe(record.id);
    expect(detail.records).toHaveLength(1);
    expect(detail.records[0]).toMatchObject({
      hasSignedForm: true,
      superseded: false,
      scopes: ["annotation"],
      consentText: { version: "v1", sha256: text.sha256 },
    });
    expect(detail.records[0]).not.toHaveProperty("formStorageKey");
    expect(detail.purposes.annotation).toMatchObject({ allowed: true, recordId: record.id });
    expect(detail.purposes.research).toMatchObject({ allowed: false, reason: "scope_missing" });
    expect(detail.purposes.commercial).toMatchObject({ allowed: false, reason: "scope_missing" });

    await expectAppError(getSubjectDetail(other.id, subject.id), "not_found");
  });
});
