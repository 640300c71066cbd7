import "server-only";
import { env } from "@/lib/env";
import { db } from "@/lib/server/db";
import { createUser } from "@/lib/server/users/create-user";
import { ZCreateUser } from "@/lib/users/schema";

/**
 * On the first start of an empty database, creates the administrator: from PHALANX_ADMIN_EMAIL /
 * PHALANX_ADMIN_PASSWORD when set, else admin@phalanx.local with a random password returned once.
 */
export async function ensureAdmin(): Promise<{ email: string; password?: string } | null> {
  if ((await db.user.count()) > 0) return null;
  const { PHALANX_ADMIN_EMAIL: email, PHALANX_ADMIN_PASSWORD: password } = env();
  const admin = await createUser(
    ZCreateUser.parse({ email: email ?? "admin@phalanx.local", name: "Administrator", password, isAdmin: true }),
    null,
  );
  return { email: admin.email, password: admin.oneTimePassword };
}
