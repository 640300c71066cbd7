import "server-only";
import { createHash } from "node:crypto";
import { z } from "zod";
import { AppError } from "@/lib/errors/app-error";
import { ZConsentScope, type TConsentTextInput } from "@/lib/consent/schema";
import { db } from "@/lib/server/db";
import { recordAuditEvent } from "@/lib/server/audit/record-audit-event";

/**
 * Consent texts are immutable: there is no update. A changed text is a new version with its own
 * sha256, so every record proves exactly which words the subject agreed to.
 */
export async function createConsentText(projectId: string, input: TConsentTextInput, actorId: string) {
  const sha256 = createHash("sha256").update(input.body).digest("hex");
  const versionTaken = () =>
    new AppError(
      "conflict",
      `Version ${input.version} exists already; texts never change, give the new text a new version`,
      { version: "Already used" },
    );
  return db
    .$transaction(async (tx) => {
      if (
        await tx.consentText.findUnique({
          where: { projectId_version: { projectId, version: input.version } },
          select: { id: true },
        })
      )
        throw versionTaken();
      const text = await tx.consentText.create({ data: { ...input, projectId, sha256, createdById: actorId } });
      await recordAuditEvent(
        {
          actorId,
          projectId,
          action: "consent_text.created",
          targetType: "consent_text",
          targetId: text.id,
          details: { version: text.version, sha256 },
        },
        tx,
      );
      return { ...text, scopes: z.array(ZConsentScope).parse(text.scopes) };
    })
    .catch((error) => {
      // Two managers saving the same version at once: the unique index lets one through.
      if ((error as { code?: string }).code === "P2002") throw versionTaken();
      throw error;
    });
}

export async function listConsentTexts(projectId: string) {
  const texts = await db.consentText.findMany({
    where: { projectId },
    orderBy: { createdAt: "desc" },
    include: { _count: { select: { records: true } } },
  });
  return texts.map((text) => ({
    ...text,
    scopes: z.array(ZConsentScope).parse(text.scopes),
    recordCount: text._count.records,
  }));
}
