/**
 * A subject is a photographed person, known by a pseudonymous code. Their self-reported demographics
 * are special-category data: only managers ever receive them (lib/auth/permissions.ts "subjects.view").
 */
import { z } from "zod";

export const AGE_BANDS = ["under_13", "13-17", "18-24", "25-34", "35-44", "45-54", "55-64", "65+"] as const;
export const FITZPATRICK_TYPES = ["I", "II", "III", "IV", "V", "VI"] as const;
export const DOMINANT_HANDS = ["left", "right", "ambidextrous"] as const;
export const OCCUPATION_GROUPS = [
  "office",
  "manual",
  "healthcare",
  "creative",
  "service",
  "student",
  "retired",
  "other",
] as const;

const optionalEnum = <T extends readonly [string, ...string[]]>(values: T) =>
  z.preprocess((value) => (value === "" ? null : value), z.enum(values).nullable().optional());

export const ZSubjectInput = z.object({
  ageBand: optionalEnum(AGE_BANDS),
  /** Self-described, free text, optional. */
  sexOrGender: z.preprocess((value) => (value === "" ? null : value), z.string().trim().max(60).nullable().optional()),
  monkSkinTone: z
    .number()
    .int()
    .min(1, "Monk Skin Tone is 1–10")
    .max(10, "Monk Skin Tone is 1–10")
    .nullable()
    .optional(),
  fitzpatrick: optionalEnum(FITZPATRICK_TYPES),
  dominantHand: optionalEnum(DOMINANT_HANDS),
  occupationGroup: optionalEnum(OCCUPATION_GROUPS),
  notes: z.string().trim().max(2000).optional(),
});
export type TSubjectInput = z.infer<typeof ZSubjectInput>;

export const ZUpdateSubject = ZSubjectInput.strict().refine((value) => Object.keys(value).length > 0, {
  message: "Nothing to change",
});

/** `S-0001`, `S-0002`, … per project. */
export function subjectCode(sequence: number): string {
  return `S-${String(sequence).padStart(4, "0")}`;
}

export const ZSubjectCode = z
  .string()
  .trim()
  .regex(/^S-\d{4,}$/, "A subject code looks like S-0042");
