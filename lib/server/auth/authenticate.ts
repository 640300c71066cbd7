import "server-only";
import { db } from "@/lib/server/db";
import { burnPasswordCheck, verifyPassword } from "./password";
import { beginPasswordCheck, endPasswordCheck, type TCheckOutcome } from "./login-throttle";

export type TAuthenticateResult =
  | { ok: true; user: { id: string; email: string; name: string; isAdmin: boolean } }
  | { ok: false; reason: "invalid" | "disabled" }
  | { ok: false; reason: "throttled"; retryAfterSeconds: number };

/**
 * Checks an email and password under the sign-in throttle (lib/server/auth/login-throttle.ts): only
 * wrong passwords count. The password itself is never logged or stored; only its argon2id hash is compared.
 */
export async function authenticate(email: string, password: string, address: string): Promise<TAuthenticateResult> {
  const keys = { email, address };
  const retryAfterSeconds = await beginPasswordCheck(keys);
  if (retryAfterSeconds > 0) return { ok: false, reason: "throttled", retryAfterSeconds };

  let outcome: TCheckOutcome = "failure";
  try {
    const user = await db.user.findUnique({ where: { email: email.toLowerCase() } });
    const valid = user ? await verifyPassword(user.passwordHash, password) : (await burnPasswordCheck(password), false);
    if (!user || !valid) return { ok: false, reason: "invalid" };
    if (user.disabledAt) {
      outcome = "neutral";
      return { ok: false, reason: "disabled" };
    }
    outcome = "success";
    await db.user.update({ where: { id: user.id }, data: { lastLoginAt: new Date() } });
    return { ok: true, user: { id: user.id, email: user.email, name: user.name, isAdmin: user.isAdmin } };
  } finally {
    await endPasswordCheck(keys, outcome);
  }
}
