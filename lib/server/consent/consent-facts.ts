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

/** A consent record's facts as a raw SQL row returns them (SQLite: text JSON, 0/1 booleans, text dates). */
export type TRawConsentRow = {
  id: string;
  subjectId: string;
  scopes: unknown;
  biometricNoticeAcknowledged: unknown;
  signedAt: unknown;
  retentionUntil: unknown;
  withdrawnAt: unknown;
  isMinor: unknown;
  guardianName: string | null;
  supersedesId: string | null;
};

/** SQL select list of the consent columns TRawConsentRow reads, for a ConsentRecord aliased `alias`. */
export const RAW_CONSENT_COLUMNS = (alias: string) =>
  ["id", "subjectId", "scopes", "biometricNoticeAcknowledged", "signedAt", "retentionUntil", "withdrawnAt", "isMinor"]
    .concat(["guardianName", "supersedesId"])
    .map((column) => `${alias}."${column}" AS "${column}"`)
    .join(", ");

const rawDate = (value: unknown) => new Date(value as string | number | Date);

/** The decision for each subject, from raw consent rows (one subject may have several), for one purpose, now. */
export function consentDecisionsFromRows(
  rows: readonly TRawConsentRow[],
  purpose: TConsentScope,
  now = new Date(),
): Map<string, TConsentDecision> {
  const bySubject = new Map<string, TConsentFacts[]>();
  for (const row of rows) {
    const facts = bySubject.get(row.subjectId) ?? [];
    facts.push({
      id: row.id,
      scopes: ZScopes.parse(typeof row.scopes === "string" ? JSON.parse(row.scopes) : row.scopes),
      biometricNoticeAcknowledged: Boolean(row.biometricNoticeAcknowledged),
      signedAt: rawDate(row.signedAt),
      retentionUntil: rawDate(row.retentionUntil),
      withdrawnAt: row.withdrawnAt == null ? null : rawDate(row.withdrawnAt),
      isMinor: Boolean(row.isMinor),
      guardianName: row.guardianName,
      supersedesId: row.supersedesId,
    });
    bySubject.set(row.subjectId, facts);
  }
  return new Map([...bySubject].map(([subjectId, records]) => [subjectId, consentDecision(records, purpose, now)]));
}
