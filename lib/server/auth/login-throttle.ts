import "server-only";
import { db } from "@/lib/server/db";
import { env } from "@/lib/env";

/**
 * Failed sign-ins are counted per email and per client address in the database, so every app
 * instance sees the same counts. After `max` failures inside the window a key is locked for the
 * rest of the window; an address gets more room than one email (offices share an address).
 */
const ADDRESS_FACTOR = 4;

export type TThrottleKeys = { email: string; address: string };

function keysOf({ email, address }: TThrottleKeys) {
  const { PHALANX_LOGIN_MAX_FAILURES: max } = env();
  return [
    { key: `email:${email.toLowerCase()}`, max },
    { key: `ip:${address}`, max: max * ADDRESS_FACTOR },
  ];
}

/** Seconds until sign-in may be tried again, or 0 when not locked. */
export async function loginRetryAfterSeconds(keys: TThrottleKeys, now = new Date()): Promise<number> {
  const rows = await db.loginThrottle.findMany({ where: { key: { in: keysOf(keys).map((k) => k.key) } } });
  const lockedUntil = Math.max(0, ...rows.map((row) => row.lockedUntil?.getTime() ?? 0));
  return Math.max(0, Math.ceil((lockedUntil - now.getTime()) / 1000));
}

export async function recordLoginFailure(keys: TThrottleKeys, now = new Date()): Promise<void> {
  const windowMs = env().PHALANX_LOGIN_WINDOW_SECONDS * 1000;
  for (const { key, max } of keysOf(keys)) {
    await db.$transaction(async (tx) => {
      const row = await tx.loginThrottle.findUnique({ where: { key } });
      const windowExpired = !row || now.getTime() - row.windowStartsAt.getTime() > windowMs;
      const failures = windowExpired ? 1 : row.failures + 1;
      const windowStartsAt = windowExpired ? now : row.windowStartsAt;
      const lockedUntil = failures >= max ? new Date(windowStartsAt.getTime() + windowMs) : null;
      await tx.loginThrottle.upsert({
        where: { key },
        create: { key, failures, windowStartsAt, lockedUntil },
        update: { failures, windowStartsAt, lockedUntil },
      });
    });
  }
}

/** A successful sign-in clears the email's count (the address keeps its own). */
export async function clearLoginFailures(email: string): Promise<void> {
  await db.loginThrottle.deleteMany({ where: { key: `email:${email.toLowerCase()}` } });
}
