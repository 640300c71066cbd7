import "server-only";
import { env } from "@/lib/env";
import { AppError } from "@/lib/errors/app-error";
import { db } from "@/lib/server/db";
import { createUser } from "@/lib/server/users/create-user";
import { ZCreateUser } from "@/lib/users/schema";

/**
 * On the first start of an empty database, creates the administrator: from PHALANX_ADMIN_EMAIL /
 * PHALANX_ADMIN_PASSWORD when set, else admin@phalanx.local with a random password returned once.
 * Safe when several instances start together: the unique email decides who creates it, the others get null.
 */
export async function ensureAdmin(): Promise<{ email: string; password?: string } | null> {
  if ((await db.user.count()) > 0) return null;
  const { PHALANX_ADMIN_EMAIL: email, PHALANX_ADMIN_PASSWORD: password } = env();
  const input = ZCreateUser.parse({
    email: email ?? "admin@phalanx.local",
    name: "Administrator",
    password,
    isAdmin: true,
  });
  try {
    const admin = await createUser(input, null);
    return { email: admin.email, password: admin.oneTimePassword };
  } catch (error) {
    const lostRace =
      (error instanceof AppError && error.code === "conflict") || (error as { code?: string }).code === "P2002";
    if (lostRace && (await db.user.count({ where: { email: input.email } })) > 0) return null;
    throw error;
  }
}
