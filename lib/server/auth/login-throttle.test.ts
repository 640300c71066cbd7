import { randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import { env } from "@/lib/env";
import { ZCreateUser } from "@/lib/users/schema";
import { db } from "@/lib/server/db";
import { authenticate } from "@/lib/server/auth/authenticate";
import { beginPasswordCheck, endPasswordCheck, loginRetryAfterSeconds } from "@/lib/server/auth/login-throttle";
import { createUser } from "@/lib/server/users/create-user";

const PASSWORD = "the right password";
const WRONG = "a wrong password";

const unique = () => randomBytes(4).toString("hex");
const newEmail = () => `person-${unique()}@example.test`;
/** A fresh client address per test, so only the email key (or the one address under test) matters. */
const newAddress = () => `192.0.2.${unique()}`;

async function newUser() {
  return createUser(ZCreateUser.parse({ email: newEmail(), name: "Throttled Person", password: PASSWORD }), null);
}

async function failTimes(times: number, email: string, address: string) {
  for (let i = 0; i < times; i++) {
    expect(await authenticate(email, WRONG, address)).toEqual({ ok: false, reason: "invalid" });
  }
}

const { PHALANX_LOGIN_MAX_FAILURES: MAX, PHALANX_LOGIN_WINDOW_SECONDS: WINDOW } = env();

describe("login throttle", () => {
  it("uses the documented defaults when not configured", () => {
    if (process.env.PHALANX_LOGIN_MAX_FAILURES) return;
    expect(MAX).toBe(5);
    expect(WINDOW).toBe(15 * 60);
  });

  it("locks an email after too many wrong passwords, even for the right password", async () => {
    const user = await newUser();
    const address = newAddress();
    await failTimes(MAX, user.email, address);

    const result = await authenticate(user.email, PASSWORD, address);
    expect(result).toMatchObject({ ok: false, reason: "throttled" });
    if (result.ok || result.reason !== "throttled") throw new Error("expected throttled");
    expect(result.retryAfterSeconds).toBeGreaterThan(0);
    expect(result.retryAfterSeconds).toBeLessThanOrEqual(WINDOW);

    // The lock is on the email, whatever the address and the letter case.
    expect(await authenticate(user.email.toUpperCase(), PASSWORD, newAddress())).toMatchObject({ reason: "throttled" });
    expect((await db.user.findUniqueOrThrow({ where: { id: user.id } })).lastLoginAt).toBeNull();
  });

  it("does not lock before the limit is reached", async () => {
    const user = await newUser();
    const address = newAddress();
    await failTimes(MAX - 1, user.email, address);
    expect(await authenticate(user.email, PASSWORD, address)).toMatchObject({ ok: true });
  });

  it("a successful sign-in clears the email's count but not the address's", async () => {
    const user = await newUser();
    const address = newAddress();
    await failTimes(MAX - 1, user.email, address);
    expect(await authenticate(user.email, PASSWORD, address)).toMatchObject({ ok: true });
    expect(await db.loginThrottle.findUniqueOrThrow({ where: { key: `email:${user.email}` } })).toMatchObject({
      failures: 0,
      reserved: 0,
    });
    expect((await db.loginThrottle.findUniqueOrThrow({ where: { key: `ip:${address}` } })).failures).toBe(MAX - 1);

    // A fresh allowance: MAX - 1 more failures still leave the account usable.
    await failTimes(MAX - 1, user.email, address);
    expect(await authenticate(user.email, PASSWORD, address)).toMatchObject({ ok: true });
  });

  it("counts failures for unknown emails too, case-insensitively", async () => {
    const ghost = newEmail();
    const address = newAddress();
    await failTimes(MAX - 1, ghost, address);
    await failTimes(1, ghost.toUpperCase(), newAddress());
    expect(await db.loginThrottle.findUniqueOrThrow({ where: { key: `email:${ghost}` } })).toMatchObject({
      failures: MAX,
    });
    expect(await authenticate(ghost, WRONG, address)).toMatchObject({ ok: false, reason: "throttled" });
  });

  it("locks an address after four times the limit across different emails", async () => {
    const address = newAddress();
    // Spread the failures so that no single email reaches its own limit.
    for (let i = 0; i < MAX * 4; i++) await failTimes(1, newEmail(), address);

    const user = await newUser();
    expect(await authenticate(user.email, PASSWORD, address)).toMatchObject({ ok: false, reason: "throttled" });
    // The same person from another address is not affected.
    expect(await authenticate(user.email, PASSWORD, newAddress())).toMatchObject({ ok: true });
  });

  it("does not lock an address one failure short of its limit", async () => {
    const address = newAddress();
    for (let i = 0; i < MAX * 4 - 1; i++) await failTimes(1, newEmail(), address);
    const user = await newUser();
    expect(await authenticate(user.email, PASSWORD, address)).toMatchObject({ ok: true });
  });

  it("a throttled attempt does not extend the lock", async () => {
    const user = await newUser();
    const address = newAddress();
    await failTimes(MAX, user.email, address);
    await authenticate(user.email, WRONG, address);
    const before = await db.loginThrottle.findUniqueOrThrow({ where: { key: `email:${user.email}` } });
    expect(before.lockedUntil).not.toBeNull();
    await authenticate(user.email, WRONG, address);
    const after = await db.loginThrottle.findUniqueOrThrow({ where: { key: `email:${user.email}` } });
    expect(after.lockedUntil?.getTime()).toBe(before.lockedUntil?.getTime());
  });

  it("40 correct sign-ins at once from one address all succeed, and none counts as a failure", async () => {
    const user = await newUser();
    const address = newAddress();
    const results = await Promise.all(Array.from({ length: 40 }, () => authenticate(user.email, PASSWORD, address)));
    expect(results.filter((result) => result.ok)).toHaveLength(40);
    const rows = await db.loginThrottle.findMany({ where: { key: { in: [`email:${user.email}`, `ip:${address}`] } } });
    expect(rows.every((row) => row.failures === 0)).toBe(true);
  }, 120_000); // 40 argon2 checks; slow on a loaded machine

  it("parallel guesses cannot slip past the limit: at most MAX passwords are checked", async () => {
    const user = await newUser();
    const address = newAddress();
    const results = await Promise.all(Array.from({ length: 20 }, () => authenticate(user.email, WRONG, address)));
    expect(results.filter((result) => !result.ok && result.reason === "invalid")).toHaveLength(MAX);
    expect(results.filter((result) => !result.ok && result.reason === "throttled")).toHaveLength(20 - MAX);
  });

  it("the lock ends with the window, and the count starts afresh after it", async () => {
    const keys = { email: newEmail(), address: newAddress() };
    const start = new Date(Date.now() - 60_000);
    for (let i = 0; i < MAX; i++) {
      expect(await beginPasswordCheck(keys, start)).toBe(0);
      await endPasswordCheck(keys, "failure");
    }
    expect(await beginPasswordCheck(keys, start)).toBe(WINDOW);

    expect(await loginRetryAfterSeconds(keys, new Date(start.getTime() + 60_000))).toBe(WINDOW - 60);
    expect(await loginRetryAfterSeconds(keys, new Date(start.getTime() + WINDOW * 1000))).toBe(0);

    const later = new Date(start.getTime() + WINDOW * 1000 + 1000);
    expect(await beginPasswordCheck(keys, later)).toBe(0);
    await endPasswordCheck(keys, "failure");
    const row = await db.loginThrottle.findUniqueOrThrow({ where: { key: `email:${keys.email}` } });
    expect(row).toMatchObject({ failures: 1, reserved: 1, lockedUntil: null });
    expect(row.windowStartsAt.getTime()).toBe(later.getTime());
    expect(await loginRetryAfterSeconds(keys, later)).toBe(0);
  });

  it("a success clears only the email's failures; the address keeps its own", async () => {
    const keys = { email: newEmail(), address: newAddress() };
    for (let i = 0; i < MAX - 1; i++) {
      await beginPasswordCheck(keys);
      await endPasswordCheck(keys, "failure");
    }
    await beginPasswordCheck(keys);
    await endPasswordCheck({ ...keys, email: keys.email.toUpperCase() }, "success");
    expect(await loginRetryAfterSeconds(keys)).toBe(0);
    expect(await db.loginThrottle.findUniqueOrThrow({ where: { key: `email:${keys.email}` } })).toMatchObject({
      failures: 0,
      reserved: 0,
    });
    expect(await db.loginThrottle.findUniqueOrThrow({ where: { key: `ip:${keys.address}` } })).toMatchObject({
      failures: MAX - 1,
      reserved: MAX - 1,
    });
  });
});
