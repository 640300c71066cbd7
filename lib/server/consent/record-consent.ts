import "server-only";
import { randomUUID } from "node:crypto";
import { z } from "zod";
import { AppError } from "@/lib/errors/app-error";
import { latestAllowedRetention, retentionDeadline } from "@/lib/consent/rules";
import { ZConsentScope, type TConsentRecordInput } from "@/lib/consent/schema";
import { db } from "@/lib/server/db";
import { recordAuditEvent } from "@/lib/server/audit/record-audit-event";
import { storage } from "@/lib/server/storage/storage";
import { getSubjectOrThrow } from "@/lib/server/subjects/subjects";
import { sniffSignedForm } from "./signed-form";
import { recordPendingObjects, settlePendingObjects } from "@/lib/server/storage/pending-objects";

/** Signatures more than this far ahead of the server clock are typing mistakes, not clock skew. */
const FUTURE_TOLERANCE_MS = 5 * 60 * 1000;

/**
 * Appends a consent record (records are never edited; a correction supersedes an earlier one).
 * The signed form, when given, is stored privately first; any failure removes it again.
 */
export async function recordConsent(
  projectId: string,
  subjectId: string,
  input: TConsentRecordInput,
  form: { bytes: Buffer; filename: string } | null,
  actorId: string,
  now = new Date(),
) {
  const subject = await getSubjectOrThrow(projectId, subjectId);
  const project = await db.project.findUniqueOrThrow({ where: { id: projectId }, select: { retentionDays: true } });
  const text = await db.consentText.findFirst({
    where: { id: input.consentTextId, projectId },
    select: { id: true, version: true, scopes: true },
  });
  if (!text)
    throw new AppError("invalid_input", "No such consent text in this project", {
      consentTextId: "Unknown consent text",
    });
  const offered = z.array(ZConsentScope).parse(text.scopes);
  const notOffered = input.scopes.filter((scope) => !offered.includes(scope));
  if (notOffered.length) {
    throw new AppError("invalid_input", `Consent text ${text.version} does not ask for: ${notOffered.join(", ")}`, {
      scopes: "Not in the consent text",
    });
  }
  if (input.signedAt.getTime() > now.getTime() + FUTURE_TOLERANCE_MS) {
    throw new AppError("invalid_input", "The signature date is in the future", { signedAt: "In the future" });
  }
  const cap = latestAllowedRetention(now);
  if (input.retentionUntil && input.retentionUntil > cap) {
    throw new AppError(
      "invalid_input",
      `Retention may not go beyond three years after the last interaction (${cap.toISOString().slice(0, 10)})`,
      { retentionUntil: "Too late" },
    );
  }
  if (input.retentionUntil && input.retentionUntil <= now) {
    throw new AppError("invalid_input", "The retention deadline is already past", { retentionUntil: "In the past" });
  }
  if (input.supersedesId) {
    const replaced = await db.consentRecord.findFirst({
      where: { id: input.supersedesId, subjectId },
      select: { withdrawnAt: true, supersededBy: { select: { id: true } } },
    });
    if (!replaced)
      throw new AppError("invalid_input", "The record to correct is not one of this subject's", {
        supersedesId: "Unknown record",
      });
    // A correction must never undo a withdrawal: renewed consent is a new record, not a fix.
    if (replaced.withdrawnAt)
      throw new AppError(
        "conflict",
        "That consent was withdrawn; a renewed consent is recorded as a new record, not a correction",
        { supersedesId: "Withdrawn" },
      );
    if (replaced.supersededBy)
      throw new AppError("conflict", "That record was corrected already; correct the newest one", {
        supersedesId: "Already corrected",
      });
  }
  const retentionUntil = retentionDeadline({
    signedAt: input.signedAt,
    lastInteractionAt: now,
    projectRetentionDays: project.retentionDays,
    requested: input.retentionUntil,
  });
  if (retentionUntil <= now) {
    throw new AppError(
      "invalid_input",
      `This consent's retention period (${project.retentionDays} days from the signature) has already ended; it cannot be used`,
      { signedAt: "Retention already over" },
    );
  }
  const signedForm = form ? sniffSignedForm(form.bytes) : null;
  const formKey = signedForm
    ? `projects/${projectId}/consent/${subject.id}/${randomUUID()}.${signedForm.extension}`
    : null;
  if (formKey) {
    await recordPendingObjects([formKey], "consent_form");
    await storage().put(formKey, form!.bytes);
  }
  try {
    return await db.$transaction(async (tx) => {
      const record = await tx.consentRecord.create({
        data: {
          subjectId,
          consentTextId: text.id,
          scopes: input.scopes,
          biometricNoticeAcknowledged: input.biometricNoticeAcknowledged,
          signedAt: input.signedAt,
          collectedById: actorId,
          jurisdiction: input.jurisdiction,
          isMinor: input.isMinor,
          guardianName: input.isMinor ? input.guardianName : null,
          guardianRelation: input.isMinor ? input.guardianRelation : null,
          retentionUntil,
          supersedesId: input.supersedesId ?? null,
          formStorageKey: formKey,
          formSha256: signedForm?.sha256 ?? null,
          formMimeType: signedForm?.mimeType ?? null,
        },
      });
      await tx.subject.update({ where: { id: subjectId }, data: { lastInteractionAt: now } });
      if (formKey) await settlePendingObjects([formKey], tx);
      await recordAuditEvent(
        {
          actorId,
          projectId,
          action: input.supersedesId ? "consent.corrected" : "consent.recorded",
          targetType: "subject",
          targetId: subjectId,
          details: {
            recordId: record.id,
            textVersion: text.version,
            scopes: input.scopes,
            supersedes: input.supersedesId ?? null,
            signedForm: !!formKey,
          },
        },
        tx,
      );
      return record;
    });
  } catch (error) {
    if (formKey) {
      await storage().remove(formKey);
      await settlePendingObjects([formKey]);
    }
    // Two corrections of one record at once: the unique supersedesId lets only one through.
    if ((error as { code?: string }).code === "P2002")
      throw new AppError("conflict", "That record was corrected already; correct the newest one");
    throw error;
  }
}
