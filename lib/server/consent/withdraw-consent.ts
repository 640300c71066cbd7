import "server-only";
import { withdrawHandCoverage } from "@/lib/server/coverage/hand-columns";
import { AppError } from "@/lib/errors/app-error";
import type { TWithdrawalChannel } from "@/lib/consent/schema";
import { db } from "@/lib/server/db";
import { recordAuditEvent } from "@/lib/server/audit/record-audit-event";
import { storage } from "@/lib/server/storage/storage";

export type TWithdrawalResult = {
  withdrawnRecords: number;
  policy: "purge" | "quarantine";
  images: number;
  affectedExports: { id: string; createdAt: Date; requestedBy: string | null }[];
};

/**
 * Withdraws a subject's consent, effective at once and in one transaction: every active record is
 * marked withdrawn, the subject's images become unavailable (so they leave every queue and future
 * export), open claims on them are released, and earlier exports that contained them are listed so
 * recipients can be told. Each step is an audit event. Purged originals are deleted from storage
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
    const subject = await tx.subject.findFirst({ where: { id: subjectId, projectId }, select: { id: true, code: true, project: { select: { withdrawalPolicy: true } } } });
    if (!subject) throw new AppError("not_found", "No such subject in this project");
    const policy = subject.project.withdrawalPolicy === "quarantine" ? "quarantine" : "purge";
    const { count: withdrawnRecords } = await tx.consentRecord.updateMany({
      where: { subjectId, withdrawnAt: null },
      data: { withdrawnAt: now, withdrawalChannel: input.channel, withdrawalReason: input.reason },
    });
    if (withdrawnRecords === 0) throw new AppError("conflict", `${subject.code} has no active consent to withdraw`);
    await recordAuditEvent(
      { actorId, projectId, action: "consent.withdrawn", targetType: "subject", targetId: subjectId, details: { code: subject.code, reason: input.reason, channel: input.channel, records: withdrawnRecords } },
      tx,
    );

    const images = await tx.image.findMany({ where: { subjectId, state: { not: "purged" } }, select: { id: true } });
    const imageIds = images.map((image) => image.id);
    const newState = policy === "purge" ? "purged" : "quarantined";
    await tx.image.updateMany({ where: { id: { in: imageIds } }, data: { state: newState, purgedAt: policy === "purge" ? now : undefined } });
    await withdrawHandCoverage(tx, imageIds);
    for (const imageId of imageIds) {
      await recordAuditEvent({ actorId, projectId, action: `image.${newState}`, targetType: "image", targetId: imageId, details: { reason: "consent withdrawn", subject: subject.code } }, tx);
    }
    const { count: releasedClaims } = await tx.annotation.updateMany({
      where: { imageId: { in: imageIds }, leaseExpiresAt: { not: null } },
      data: { leaseExpiresAt: null },
    });
    await recordAuditEvent(
      { actorId, projectId, action: "queues.images_removed", targetType: "subject", targetId: subjectId, details: { images: imageIds.length, releasedClaims } },
      tx,
    );

    const exportRows = await tx.exportImage.findMany({
      where: { imageId: { in: imageIds } },
      distinct: ["exportId"],
      select: { export: { select: { id: true, createdAt: true, requestedBy: { select: { email: true } } } } },
    });
    const affectedExports = exportRows.map(({ export: e }) => ({ id: e.id, createdAt: e.createdAt, requestedBy: e.requestedBy?.email ?? null }));
    if (affectedExports.length) {
      await recordAuditEvent(
        { actorId, projectId, action: "exports.affected_by_withdrawal", targetType: "subject", targetId: subjectId, details: { exportIds: affectedExports.map((e) => e.id) } },
        tx,
      );
    }
    return { withdrawnRecords, policy, images: imageIds.length, affectedExports } satisfies TWithdrawalResult;
  });
  if (result.policy === "purge") await purgeLeftoverFiles({ subjectId });
  return result;
}

/** Deletes the files of purged images that still have them (after a withdrawal, or a crash during one). */
export async function purgeLeftoverFiles(where: { subjectId?: string } = {}): Promise<number> {
  const leftovers = await db.image.findMany({
    where: { ...where, state: "purged", OR: [{ originalKey: { not: null } }, { displayKey: { not: null } }, { thumbKey: { not: null } }] },
    select: { id: true, originalKey: true, displayKey: true, thumbKey: true },
  });
  for (const image of leftovers) {
    for (const key of new Set([image.originalKey, image.displayKey, image.thumbKey])) if (key) await storage().remove(key);
    await db.image.update({ where: { id: image.id }, data: { originalKey: null, displayKey: null, thumbKey: null } });
  }
  return leftovers.length;
}
