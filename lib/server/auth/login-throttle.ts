import "server-only";
import { db } from "@/lib/server/db";
import { env } from "@/lib/env";
import { AppError } from "@/lib/errors/app-error";

/**
 * Password checks (sign-in, and the current password on a password change) are throttled per email
 * and per client address in the database, so every app instance sees the same counts.
 *
 * Each key holds `failures` (wrong passwords in the window) and `reserved` (failures plus checks in
 * progress). A check may start only after reserving a place under the limit, with an atomic
 * conditional increment: parallel guesses can never run more than `max` password checks. A correct
 * password gives its place back, so successes never count; while the places are taken by checks in
 * progress, a request waits for one rather than being refused. Only real failures lock a key, until
 * its window ends. An address gets more room than one email (offices share an address).
 */
const ADDRESS_FACTOR = 4;
/** How long a check waits for a place taken by checks in progress before answering "try again shortly". */
const WAIT_FOR_PLACE_MS = 30_000;
const POLL_MS = 20;

export type TThrottleKeys = { email: string; address: string };
export type TCheckOutcome = "success" | "failure" | "neutral";

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
const toSeconds = (ms: number) => Math.max(1, Math.ceil(ms / 1000));

type TReserve = { kind: "reserved" } | { kind: "locked"; retryAfterMs: number } | { kind: "busy" };

async function reserve(key: string, max: number, now: Date): Promise<TReserve> {
  // A window that has ended starts afresh; the condition makes this safe when two requests race.
  await db.loginThrottle.updateMany({
    where: { key, windowStartsAt: { lt: new Date(now.getTime() - windowMs()) } },
    data: { failures: 0, reserved: 0, windowStartsAt: now, lockedUntil: null },
  });
  const { count } = await db.loginThrottle.updateMany({
    where: { key, reserved: { lt: max } },
    data: { reserved: { increment: 1 } },
  });
  if (count === 1) return { kind: "reserved" };
  const row = await db.loginThrottle.findUnique({ where: { key } });
  if (!row) {
    try {
      await db.loginThrottle.create({ data: { key, failures: 0, reserved: 1, windowStartsAt: now } });
      return { kind: "reserved" };
    } catch {
      return { kind: "busy" }; // another request created it first: try again
    }
  }
  if (row.failures >= max)
    return { kind: "locked", retryAfterMs: row.windowStartsAt.getTime() + windowMs() - now.getTime() };
  return { kind: "busy" };
}

async function giveBack(key: string): Promise<void> {
  await db.loginThrottle.updateMany({ where: { key, reserved: { gt: 0 } }, data: { reserved: { decrement: 1 } } });
}

/**
 * Reserves one password check for these keys. Returns 0 when the check may run (then call
 * endPasswordCheck exactly once), else the seconds to wait.
 */
export async function beginPasswordCheck(keys: TThrottleKeys, now = new Date()): Promise<number> {
  const [first, second] = keysOf(keys);
  const giveUpAt = Date.now() + WAIT_FOR_PLACE_MS;
  for (;;) {
    const a = await reserve(first.key, first.max, now);
    if (a.kind === "locked") return toSeconds(a.retryAfterMs);
    if (a.kind === "reserved") {
      const b = await reserve(second.key, second.max, now);
      if (b.kind === "reserved") return 0;
      await giveBack(first.key);
      if (b.kind === "locked") return toSeconds(b.retryAfterMs);
    }
    if (Date.now() > giveUpAt) return 1;
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
}

/**
 * Ends a reserved check. A failure keeps its place and locks the key once the limit is reached; a
 * success gives its place back and clears the email's failures; "neutral" (a right password for a
 * disabled account) only gives the place back.
 */
export async function endPasswordCheck(keys: TThrottleKeys, outcome: TCheckOutcome): Promise<void> {
  for (const { key, max } of keysOf(keys)) {
    if (outcome === "failure") {
      const row = await db.loginThrottle.update({ where: { key }, data: { failures: { increment: 1 } } });
      if (row.failures >= max && !row.lockedUntil) {
        await db.loginThrottle.update({
          where: { key },
          data: { lockedUntil: new Date(row.windowStartsAt.getTime() + windowMs()) },
        });
      }
      continue;
    }
    await giveBack(key);
    if (outcome === "success" && key === emailKey(keys.email)) {
      const row = await db.loginThrottle.findUnique({ where: { key } });
      if (row && row.failures > 0) {
        await db.loginThrottle.updateMany({
          where: { key, failures: row.failures, reserved: { gte: row.failures } },
          data: { failures: 0, reserved: { decrement: row.failures }, lockedUntil: null },
        });
      }
    }
  }
}

/**
 * Runs `check` (a password comparison) under the throttle: "throttled" with the wait when the keys are
 * locked, else the check's result, counted as a failure when false.
 */
export async function throttledPasswordCheck(
  keys: TThrottleKeys,
  check: () => Promise<boolean>,
): Promise<{ ok: boolean } | { throttled: true; retryAfterSeconds: number }> {
  const retryAfterSeconds = await beginPasswordCheck(keys);
  if (retryAfterSeconds > 0) return { throttled: true, retryAfterSeconds };
  let ok = false;
  try {
    ok = await check();
  } finally {
    await endPasswordCheck(keys, ok ? "success" : "failure");
  }
  return { ok };
}

/** Seconds until a password may be tried again for these keys, or 0. Does not count an attempt. */
export async function loginRetryAfterSeconds(keys: TThrottleKeys, now = new Date()): Promise<number> {
  const limits = keysOf(keys);
  const rows = await db.loginThrottle.findMany({ where: { key: { in: limits.map((k) => k.key) } } });
  let retryAfterMs = 0;
  for (const row of rows) {
    const { max } = limits.find((limit) => limit.key === row.key)!;
    const windowEnds = row.windowStartsAt.getTime() + windowMs();
    if (row.failures >= max && windowEnds > now.getTime())
      retryAfterMs = Math.max(retryAfterMs, windowEnds - now.getTime());
  }
  return retryAfterMs > 0 ? toSeconds(retryAfterMs) : 0;
}

/** The 429 every throttled password check answers, naming the wait (also sent as Retry-After). */
export function tooManyAttempts(retryAfterSeconds: number): AppError {
  const seconds = Math.max(1, retryAfterSeconds);
  const minutes = Math.ceil(seconds / 60);
  return new AppError(
    "too_many_requests",
    `Too many failed sign-ins. Try again in ${minutes} minute${minutes === 1 ? "" : "s"}.`,
    {},
    seconds,
  );
}
