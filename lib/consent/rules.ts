/**
 * The rule that never bends (DESIGN.md §3.1), as one pure function: may an image be used for a
 * purpose now? Queues, image serving and export all ask it; nothing else decides consent.
 */
import type { TConsentScope } from "./schema";

/** The fields of a consent record the rule reads. */
export type TConsentFacts = {
  id: string;
  scopes: readonly TConsentScope[];
  biometricNoticeAcknowledged: boolean;
  signedAt: Date;
  retentionUntil: Date;
  withdrawnAt: Date | null;
  isMinor: boolean;
  guardianName: string | null;
  supersedesId: string | null;
};

export type TImageFacts = { state: "active" | "quarantined" | "purged" | string };

export const REFUSAL_REASONS = {
  image_unavailable: "The image was quarantined or purged",
  no_consent: "The subject has no consent record",
  not_yet_signed: "The consent record is dated in the future",
  withdrawn: "The subject withdrew consent",
  expired: "The consent's retention deadline has passed",
  biometric_notice_missing: "The subject did not acknowledge the biometric notice",
  minor_without_guardian: "The subject is a minor and no guardian signed",
  scope_missing: "The subject did not consent to this purpose",
} as const;
export type TRefusalReason = keyof typeof REFUSAL_REASONS;

export type TConsentDecision =
  { allowed: true; recordId: string } | { allowed: false; reason: TRefusalReason; message: string; recordId?: string };

const refuse = (reason: TRefusalReason, recordId?: string): TConsentDecision => ({
  allowed: false,
  reason,
  message: REFUSAL_REASONS[reason],
  recordId,
});

/**
 * The record in force: among records not replaced by a correction and already signed, the most
 * recently signed. Withdrawal is a state of that record; a later new record is a renewed consent.
 */
export function recordInForce<T extends TConsentFacts>(records: readonly T[], now: Date): T | null {
  const superseded = new Set(records.map((record) => record.supersedesId).filter(Boolean));
  const current = records.filter((record) => !superseded.has(record.id) && record.signedAt.getTime() <= now.getTime());
  return current.reduce<T | null>(
    (latest, record) => (!latest || record.signedAt > latest.signedAt ? record : latest),
    null,
  );
}

/** May a subject with these consent records be used for `purpose` at `now`? */
export function consentDecision(
  records: readonly TConsentFacts[],
  purpose: TConsentScope,
  now: Date,
): TConsentDecision {
  if (records.length === 0) return refuse("no_consent");
  const record = recordInForce(records, now);
  if (!record) return refuse("not_yet_signed");
  if (record.withdrawnAt && record.withdrawnAt.getTime() <= now.getTime()) return refuse("withdrawn", record.id);
  if (record.retentionUntil.getTime() <= now.getTime()) return refuse("expired", record.id);
  if (!record.biometricNoticeAcknowledged) return refuse("biometric_notice_missing", record.id);
  if (record.isMinor && !record.guardianName?.trim()) return refuse("minor_without_guardian", record.id);
  if (!record.scopes.includes(purpose)) return refuse("scope_missing", record.id);
  return { allowed: true, recordId: record.id };
}

/** May this image be used for `purpose` now: the image must be available and its subject consent. */
export function mayUseImage(
  image: TImageFacts,
  records: readonly TConsentFacts[],
  purpose: TConsentScope,
  now: Date,
): TConsentDecision {
  if (image.state !== "active") return refuse("image_unavailable");
  return consentDecision(records, purpose, now);
}

const DAY_MS = 24 * 60 * 60 * 1000;
/** BIPA: biometric identifiers are destroyed at most three years after the last interaction. */
export const MAX_RETENTION_DAYS_AFTER_INTERACTION = 3 * 365;

/**
 * The retention deadline of a new record: the requested date or the project's policy from the
 * signature, never later than three years after the subject's last interaction.
 */
export function retentionDeadline(input: {
  signedAt: Date;
  lastInteractionAt: Date;
  projectRetentionDays: number;
  requested?: Date;
}): Date {
  const wanted = input.requested?.getTime() ?? input.signedAt.getTime() + input.projectRetentionDays * DAY_MS;
  return new Date(Math.min(wanted, latestAllowedRetention(input.lastInteractionAt).getTime()));
}

/** The latest retention deadline the law allows for a subject last seen at `lastInteractionAt`. */
export function latestAllowedRetention(lastInteractionAt: Date): Date {
  return new Date(lastInteractionAt.getTime() + MAX_RETENTION_DAYS_AFTER_INTERACTION * DAY_MS);
}
