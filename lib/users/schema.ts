/** Request schemas for people and sign-in; forms and route handlers validate with the same ones. */
import { z } from "zod";

export const ZEmail = z
  .string()
  .trim()
  .toLowerCase()
  .pipe(z.email({ message: "Enter a valid email address" }));
export const ZNewPassword = z.string().min(10, "Use at least 10 characters").max(200, "Use at most 200 characters");

export const ZSignIn = z.object({
  email: ZEmail,
  password: z.string().min(1, "Enter your password").max(200),
});
export type TSignIn = z.infer<typeof ZSignIn>;

export const ZCreateUser = z.object({
  email: ZEmail,
  name: z.string().trim().min(1, "Enter a name").max(120),
  /** Empty: a random password is generated and shown once to the admin. */
  password: ZNewPassword.optional(),
  isAdmin: z.boolean().default(false),
});
export type TCreateUser = z.infer<typeof ZCreateUser>;

export const ZUpdateUser = z
  .object({
    name: z.string().trim().min(1).max(120).optional(),
    isAdmin: z.boolean().optional(),
    disabled: z.boolean().optional(),
    /** true: set a new random password and return it once. */
    resetPassword: z.literal(true).optional(),
  })
  .strict()
  .refine((value) => Object.keys(value).length > 0, { message: "Nothing to change" });
export type TUpdateUser = z.infer<typeof ZUpdateUser>;

export const ZChangeOwnPassword = z.object({
  currentPassword: z.string().min(1, "Enter your current password"),
  newPassword: ZNewPassword,
});
export type TChangeOwnPassword = z.infer<typeof ZChangeOwnPassword>;
