import "server-only";
import { withdrawHandCoverage } from "@/lib/server/coverage/hand-columns";
import { AppError } from "@/lib/errors/app-error";
import type { TWithdrawalChannel } from "@/lib/consent/schema";
import { db } from "@/lib/server/db";
import { recordAuditEvent } from "@/lib/server/audit/record-audit-event";
import { storage } from "@/lib/server/storage/storage";
import {
  affectedExports,
  purgeRevokedArchives,
  revokeExportsContaining,
  type TAffectedExport,
} from "@/lib/server/export/revoke-exports";

export type TWithdrawalResult = {
  withdrawnRecords: number;
  policy: "purge" | "quarantine";
  images: number;
  /** Every export that contained the subject's images (now revoked), with the people who downloaded it. */
  affectedExports: TAffectedExport[];
};

/**
 * Withdraws a subject's consent, effective at once and in one transaction: every active record is
 * marked withdrawn, the subject's images become unavailable (so they leave every queue and future
 * export), open claims on them are released, and earlier exports that contained them are revoked and
 * listed with the people who downloaded them, so recipients can be told. Each step is an audit event. Purged originals are deleted from storage
 * right after the commit; `purgeLeftoverFiles` repeats that if the process died in between.
 * `actorId` null means the system (the retention sweep).
 */
export async function withdrawConsent(
  projectId: string,
  subjectId: string,
  input: { reason: string; channel: TWithdrawalChannel },
  actorId: string | null,
  now = new Date(),
): Promise<TWithdrawalResult> {
  const result = await db.$transaction(async (tx) => {
    const subject = await tx.subject.findFirst({
      where: { id: subjectId, projectId },
      select: { id: true, code: true, project: { select: { withdrawalPolicy: true } } },
    });
    if (!subject) throw new AppError("not_found", "No such subject in this project");
    const policy = subject.project.withdrawalPolicy === "quarantine" ? "quarantine" : "purge";
    const { count: withdrawnRecords } = await tx.consentRecord.updateMany({
      where: { subjectId, withdrawnAt: null },
      data: { withdrawnAt: now, withdrawalChannel: input.channel, withdrawalReason: input.reason },
    });
    if (withdrawnRecords === 0) throw new AppError("conflict", `${subject.code} has no active consent to withdraw`);
    await recordAuditEvent(
      {
        actorId,
        projectId,
        action: "consent.withdrawn",
        targetType: "subject",
        targetId: subjectId,
        details: { code: subject.code, reason: input.reason, channel: input.channel, records: withdrawnRecords },
      },
      tx,
    );

    const images = await tx.image.findMany({ where: { subjectId, state: { not: "purged" } }, select: { id: true } });
    const imageIds = images.map((image) => image.id);
    const newState = policy === "purge" ? "purged" : "quarantined";
    await tx.image.updateMany({
      where: { id: { in: imageIds } },
      data: { state: newState, purgedAt: policy === "purge" ? now : undefined },
    });
    await withdrawHandCoverage(tx, imageIds);
    for (const imageId of imageIds) {
      await recordAuditEvent(
        {
          actorId,
          projectId,
          action: `image.${newState}`,
          targetType: "image",
          targetId: imageId,
          details: { reason: "consent withdrawn", subject: subject.code },
        },
        tx,
      );
    }
    const { count: releasedClaims } = await tx.annotation.updateMany({
      where: { imageId: { in: imageIds }, leaseExpiresAt: { not: null } },
      data: { leaseExpiresAt: null },
    });
    await recordAuditEvent(
      {
        actorId,
        projectId,
        action: "queues.images_removed",
        targetType: "subject",
        targetId: subjectId,
        details: { images: imageIds.length, releasedClaims },
      },
      tx,
    );

    // Earlier exports that contained them are revoked in this same transaction: never served again.
    await revokeExportsContaining(tx, {
      projectId,
      imageIds,
      reason: `consent of ${subject.code} withdrawn (${input.channel})`,
      actorId,
      now,
    });
    const affected = await affectedExports(imageIds, tx);
    if (affected.length) {
      await recordAuditEvent(
        {
          actorId,
          projectId,
          action: "exports.affected_by_withdrawal",
          targetType: "subject",
          targetId: subjectId,
          details: {
            exportIds: affected.map((e) => e.id),
            recipients: [...new Set(affected.flatMap((e) => e.downloads.map((d) => d.email ?? d.userId)))],
          },
        },
        tx,
      );
    }
    return { withdrawnRecords, policy, images: imageIds.length, affectedExports: affected } satisfies TWithdrawalResult;
  });
  if (result.policy === "purge") await purgeLeftoverFiles({ subjectId });
  await purgeRevokedArchives({ projectId });
  return result;
}

/** Deletes the files of purged images that still have them (after a withdrawal, or a crash during one). */
export async function purgeLeftoverFiles(where: { subjectId?: string } = {}): Promise<number> {
  const leftovers = await db.image.findMany({
    where: {
      ...where,
      state: "purged",
      OR: [
        { originalKey: { not: null } },
        { displayKey: { not: null } },
        { thumbKey: { not: null } },
        { exportCacheKey: { not: null } },
      ],
    },
    select: { id: true, originalKey: true, displayKey: true, thumbKey: true, exportCacheKey: true },
  });
  for (const image of leftovers) {
    for (const key of new Set([image.originalKey, image.displayKey, image.thumbKey, image.exportCacheKey]))
      if (key) await storage().remove(key);
    await db.image.update({
      where: { id: image.id },
      data: { originalKey: null, displayKey: null, thumbKey: null, exportCacheKey: null },
    });
  }
  // Revoked archives that hold a purged image (or belong to a purge-policy project) go too.
  await purgeRevokedArchives();
  return leftovers.length;
}
