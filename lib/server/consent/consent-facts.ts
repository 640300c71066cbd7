import "server-only";
import { z } from "zod";
import { consentDecision, type TConsentDecision, type TConsentFacts } from "@/lib/consent/rules";
import { ZConsentScope, type TConsentScope } from "@/lib/consent/schema";
import { db } from "@/lib/server/db";

const ZScopes = z.array(ZConsentScope);

const FACT_SELECT = {
  id: true,
  subjectId: true,
  scopes: true,
  biometricNoticeAcknowledged: true,
  signedAt: true,
  retentionUntil: true,
  withdrawnAt: true,
  isMinor: true,
  guardianName: true,
  supersedesId: true,
} as const;

/** Every consent record of these subjects, as the facts lib/consent/rules.ts reads. */
export async function consentFactsBySubject(subjectIds: readonly string[]): Promise<Map<string, TConsentFacts[]>> {
  const rows = await db.consentRecord.findMany({
    where: { subjectId: { in: [...new Set(subjectIds)] } },
    select: FACT_SELECT,
  });
  const bySubject = new Map<string, TConsentFacts[]>(subjectIds.map((id) => [id, []]));
  for (const { subjectId, scopes, ...row } of rows)
    bySubject.get(subjectId)!.push({ ...row, scopes: ZScopes.parse(scopes) });
  return bySubject;
}

/** The consent decision for each subject and one purpose, now. */
export async function consentDecisions(
  subjectIds: readonly string[],
  purpose: TConsentScope,
  now = new Date(),
): Promise<Map<string, TConsentDecision>> {
  const facts = await consentFactsBySubject(subjectIds);
  return new Map([...facts].map(([subjectId, records]) => [subjectId, consentDecision(records, purpose, now)]));
}
