/** Project settings: the fields later features (queues, review, retention, gold, agreement) read. */
import { z } from "zod";
import { ZProjectRole } from "@/lib/auth/permissions";
import { DEFAULT_GESTURES } from "./gestures";

const ZLabelList = z
  .array(
    z
      .string()
      .trim()
      .min(1)
      .max(60)
      .regex(/^[a-z0-9_ -]+$/i, "Use letters, digits, spaces, - or _"),
  )
  .max(200)
  .refine((list) => new Set(list).size === list.length, { message: "Each entry may appear only once" });

/** Every setting, required. Partial updates derive from this (no defaults, so omitted fields stay untouched). */
export const ZProjectFields = z.object({
  name: z.string().trim().min(1, "Enter a name").max(120),
  description: z.string().trim().max(4000),
  gestures: ZLabelList.min(1, "List at least one gesture"),
  handAttributes: ZLabelList,
  imageFlags: ZLabelList,
  annotationsPerImage: z.number().int().min(1).max(10),
  /** Share of submitted annotations reviewed besides every flagged one. */
  reviewSampleRate: z.number().min(0).max(1),
  /** BIPA: biometric data may be kept at most three years after the last interaction. */
  retentionDays: z
    .number()
    .int()
    .min(1)
    .max(3 * 365),
  withdrawalPolicy: z.enum(["purge", "quarantine"]),
  leaseMinutes: z
    .number()
    .int()
    .min(1)
    .max(24 * 60),
  goldRate: z.number().min(0).max(0.5),
  agreementShare: z.number().min(0).max(1),
  agreementThreshold: z.number().min(0).max(1),
});

export const PROJECT_DEFAULTS: Omit<z.infer<typeof ZProjectFields>, "name"> = {
  description: "",
  gestures: [...DEFAULT_GESTURES],
  handAttributes: ["ring", "nail_polish", "glove", "tattoo", "motion_blur"],
  imageFlags: ["blurry", "low_light", "multiple_people"],
  annotationsPerImage: 1,
  reviewSampleRate: 1,
  retentionDays: 3 * 365,
  withdrawalPolicy: "purge",
  leaseMinutes: 30,
  goldRate: 0,
  agreementShare: 0,
  agreementThreshold: 0.75,
};

const withDefaults = (raw: unknown) =>
  raw && typeof raw === "object" && !Array.isArray(raw)
    ? { ...PROJECT_DEFAULTS, ...Object.fromEntries(Object.entries(raw).filter(([, value]) => value !== undefined)) }
    : raw;

/** A whole project's settings; fields left out take PROJECT_DEFAULTS. */
export const ZProjectSettings = z.preprocess(withDefaults, ZProjectFields);
export type TProjectSettings = z.infer<typeof ZProjectSettings>;

export const ZCreateProject = ZProjectSettings;
export const ZUpdateProject = ZProjectFields.partial()
  .strict()
  .refine((value) => Object.keys(value).length > 0, { message: "Nothing to change" });

export const ZAddMember = z.object({
  email: z
    .string()
    .trim()
    .toLowerCase()
    .pipe(z.email({ message: "Enter a valid email address" })),
  roles: z.array(ZProjectRole).min(1, "Choose at least one role"),
});
export type TAddMember = z.infer<typeof ZAddMember>;

export const ZSetMemberRoles = z.object({ roles: z.array(ZProjectRole) });
