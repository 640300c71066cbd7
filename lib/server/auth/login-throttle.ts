import "server-only";
import { db } from "@/lib/server/db";
import { env } from "@/lib/env";

/**
 * Sign-in attempts are counted per email and per client address in the database, so every app
 * instance sees the same counts. An attempt is counted *before* its password is checked, with an
 * atomic increment, so parallel guesses cannot slip past the limit; a success takes its attempt
 * back. Once a key holds more than `max` attempts inside the window, sign-in waits for the window
 * to end. An address gets more room than one email (offices share an address).
 */
const ADDRESS_FACTOR = 4;

export type TThrottleKeys = { email: string; address: string };

const emailKey = (email: string) => `email:${email.toLowerCase()}`;
const addressKey = (address: string) => `ip:${address}`;

function keysOf({ email, address }: TThrottleKeys) {
  const { PHALANX_LOGIN_MAX_FAILURES: max } = env();
  return [
    { key: emailKey(email), max },
    { key: addressKey(address), max: max * ADDRESS_FACTOR },
  ];
}

const windowMs = () => env().PHALANX_LOGIN_WINDOW_SECONDS * 1000;

/** Counts one attempt; returns the seconds to wait when it is over the limit, else 0. */
export async function registerLoginAttempt(keys: TThrottleKeys, now = new Date()): Promise<number> {
  let retryAfterMs = 0;
  for (const { key, max } of keysOf(keys)) {
    // A window that has ended starts afresh; the condition makes this safe when two requests race.
    await db.loginThrottle.updateMany({
      where: { key, windowStartsAt: { lt: new Date(now.getTime() - windowMs()) } },
      data: { failures: 0, windowStartsAt: now, lockedUntil: null },
    });
    const row = await db.loginThrottle.upsert({
      where: { key },
      create: { key, failures: 1, windowStartsAt: now },
      update: { failures: { increment: 1 } },
    });
    if (row.failures > max) {
      const lockedUntil = new Date(row.windowStartsAt.getTime() + windowMs());
      if (!row.lockedUntil) await db.loginThrottle.update({ where: { key }, data: { lockedUntil } });
      retryAfterMs = Math.max(retryAfterMs, lockedUntil.getTime() - now.getTime());
    }
  }
  return retryAfterMs > 0 ? Math.max(1, Math.ceil(retryAfterMs / 1000)) : 0;
}

/** Seconds until sign-in may be tried again for these keys, or 0. Does not count an attempt. */
export async function loginRetryAfterSeconds(keys: TThrottleKeys, now = new Date()): Promise<number> {
  const limits = keysOf(keys);
  const rows = await db.loginThrottle.findMany({ where: { key: { in: limits.map((k) => k.key) } } });
  let retryAfterMs = 0;
  for (const row of rows) {
    const { max } = limits.find((limit) => limit.key === row.key)!;
    const windowEnds = row.windowStartsAt.getTime() + windowMs();
    if (row.failures >= max && windowEnds > now.getTime()) retryAfterMs = Math.max(retryAfterMs, windowEnds - now.getTime());
  }
  return Math.ceil(retryAfterMs / 1000);
}

/** A successful sign-in clears the email's count and takes its own attempt back from the address. */
export async function registerLoginSuccess({ email, address }: TThrottleKeys): Promise<void> {
  await db.loginThrottle.deleteMany({ where: { key: emailKey(email) } });
  await db.loginThrottle.updateMany({ where: { key: addressKey(address), failures: { gt: 0 } }, data: { failures: { decrement: 1 } } });
}
