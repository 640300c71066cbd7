/** Project settings: the fields later features (queues, review, retention, gold, agreement) read. */
import { z } from "zod";
import { ZProjectRole } from "@/lib/auth/permissions";
import { DEFAULT_GESTURES } from "./gestures";

const ZLabelList = z
  .array(z.string().trim().min(1).max(60).regex(/^[a-z0-9_ -]+$/i, "Use letters, digits, spaces, - or _"))
  .max(200)
  .refine((list) => new Set(list).size === list.length, { message: "Each entry may appear only once" });

export const ZProjectSettings = z.object({
  name: z.string().trim().min(1, "Enter a name").max(120),
  description: z.string().trim().max(4000).default(""),
  gestures: ZLabelList.min(1, "List at least one gesture").default([...DEFAULT_GESTURES]),
  handAttributes: ZLabelList.default(["ring", "nail_polish", "glove", "tattoo", "motion_blur"]),
  imageFlags: ZLabelList.default(["blurry", "low_light", "multiple_people"]),
  annotationsPerImage: z.number().int().min(1).max(10).default(1),
  reviewSampleRate: z.number().min(0).max(1).default(1),
  /** BIPA: biometric data may be kept at most three years after the last interaction. */
  retentionDays: z.number().int().min(1).max(3 * 365).default(3 * 365),
  withdrawalPolicy: z.enum(["purge", "quarantine"]).default("purge"),
  leaseMinutes: z.number().int().min(1).max(24 * 60).default(30),
  goldRate: z.number().min(0).max(0.5).default(0),
  agreementShare: z.number().min(0).max(1).default(0),
  agreementThreshold: z.number().min(0).max(1).default(0.75),
});
export type TProjectSettings = z.infer<typeof ZProjectSettings>;

export const ZCreateProject = ZProjectSettings;
export const ZUpdateProject = ZProjectSettings.partial()
  .strict()
  .refine((value) => Object.keys(value).length > 0, { message: "Nothing to change" });

export const ZAddMember = z.object({
  email: z.string().trim().toLowerCase().pipe(z.email({ message: "Enter a valid email address" })),
  roles: z.array(ZProjectRole).min(1, "Choose at least one role"),
});
export type TAddMember = z.infer<typeof ZAddMember>;

export const ZSetMemberRoles = z.object({ roles: z.array(ZProjectRole) });
