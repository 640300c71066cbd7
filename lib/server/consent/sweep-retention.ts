import "server-only";
import { recordInForce } from "@/lib/consent/rules";
import { db } from "@/lib/server/db";
import { consentFactsBySubject } from "./consent-facts";
import { purgeLeftoverFiles, withdrawConsent } from "./withdraw-consent";

/**
 * Consent whose retention deadline has passed takes the withdrawal path with reason
 * "retention expired" (run at start and daily). Idempotent: several instances may run it.
 */
export async function sweepExpiredConsent(
  now = new Date(),
): Promise<{ expiredSubjects: number; purgedLeftovers: number }> {
  const candidates = await db.consentRecord.findMany({
    where: { withdrawnAt: null, retentionUntil: { lte: now } },
    select: { subjectId: true, subject: { select: { projectId: true } } },
    distinct: ["subjectId"],
  });
  const facts = await consentFactsBySubject(candidates.map((c) => c.subjectId));
  let expiredSubjects = 0;
  for (const { subjectId, subject } of candidates) {
    const inForce = recordInForce(facts.get(subjectId) ?? [], now);
    // Only when the record in force has expired: an expired record that was corrected is history.
    if (!inForce || inForce.withdrawnAt || inForce.retentionUntil > now) continue;
    try {
      await withdrawConsent(
        subject.projectId,
        subjectId,
        { reason: "retention expired", channel: "system" },
        null,
        now,
      );
      expiredSubjects++;
    } catch (error) {
      if ((error as { code?: string }).code !== "conflict") throw error; // another instance was first
    }
  }
  return { expiredSubjects, purgedLeftovers: await purgeLeftoverFiles() };
}
