/** Consent vocabulary and request schemas; forms, route handlers and the rules share them. */
import { z } from "zod";

/** What a subject may agree to. A purpose asked of an image is one of these scopes. */
export const ZConsentScope = z.enum(["annotation", "research", "commercial", "redistribution"]);
export type TConsentScope = z.infer<typeof ZConsentScope>;
export const CONSENT_SCOPES = ZConsentScope.options;

export const SCOPE_LABELS: Record<TConsentScope, string> = {
  annotation: "Annotation (labelling inside this project)",
  research: "Research use",
  commercial: "Commercial use",
  redistribution: "Redistribution / publication",
};

export const ZWithdrawalChannel = z.enum(["in_person", "email", "phone", "web_form", "post", "other", "system"]);
export type TWithdrawalChannel = z.infer<typeof ZWithdrawalChannel>;

const ZScopes = z
  .array(ZConsentScope)
  .min(1, "Choose at least one scope")
  .refine((scopes) => new Set(scopes).size === scopes.length, { message: "Each scope may appear only once" });

export const ZConsentTextInput = z.object({
  version: z.string().trim().min(1, "Enter a version label").max(40),
  body: z.string().trim().min(20, "Paste the full consent text (at least 20 characters)").max(50_000),
  scopes: ZScopes,
  biometricNotice: z.string().trim().min(10, "Enter the biometric notice shown to the subject").max(10_000),
});
export type TConsentTextInput = z.infer<typeof ZConsentTextInput>;

/** Dates arrive as ISO strings (JSON, forms) and are checked to be real dates. */
const ZDate = z.coerce
  .date({ error: "Enter a valid date (YYYY-MM-DD or an ISO date-time)" })
  .refine((date) => !Number.isNaN(date.getTime()), {
    message: "Enter a valid date (YYYY-MM-DD or an ISO date-time)",
  });

export const ZConsentRecordInput = z
  .object({
    consentTextId: z.string().min(1, "Choose the consent text the subject signed"),
    scopes: ZScopes,
    biometricNoticeAcknowledged: z.boolean(),
    signedAt: ZDate,
    jurisdiction: z.string().trim().min(2, "Enter the jurisdiction (e.g. EU, US-IL)").max(40),
    isMinor: z.boolean().default(false),
    guardianName: z.string().trim().max(120).optional(),
    guardianRelation: z.string().trim().max(60).optional(),
    /** Omitted: the project's retention policy, capped at three years after the subject's last interaction. */
    retentionUntil: ZDate.optional(),
    /** A correction names the record it replaces. */
    supersedesId: z.string().optional(),
  })
  .refine((input) => !input.isMinor || (input.guardianName && input.guardianRelation), {
    message: "A minor's consent needs the guardian's name and relation",
    path: ["guardianName"],
  });
export type TConsentRecordInput = z.infer<typeof ZConsentRecordInput>;

export const ZWithdrawalInput = z.object({
  reason: z.string().trim().min(1, "Enter the reason given (or 'none given')").max(2000),
  channel: ZWithdrawalChannel.exclude(["system"]),
});
export type TWithdrawalInput = z.infer<typeof ZWithdrawalInput>;
