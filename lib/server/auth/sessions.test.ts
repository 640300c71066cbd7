import { randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import { AppError } from "@/lib/errors/app-error";
import { env } from "@/lib/env";
import { ZCreateUser, ZUpdateUser } from "@/lib/users/schema";
import { db } from "@/lib/server/db";
import { authenticate } from "@/lib/server/auth/authenticate";
import {
  createSession,
  listActiveSessions,
  revokeSession,
  revokeSessions,
  sessionIsActive,
  SESSION_MAX_AGE_SECONDS,
} from "@/lib/server/auth/sessions";
import { createApiToken, userIdForApiToken } from "@/lib/server/tokens/api-tokens";
import { createUser } from "@/lib/server/users/create-user";
import { updateUser } from "@/lib/server/users/update-user";
import { changeOwnPassword } from "@/lib/server/users/change-own-password";

const PASSWORD = "the right password";
const unique = () => randomBytes(4).toString("hex");
const address = () => `198.51.100.${unique()}`;
const newUser = (isAdmin = false) =>
  createUser(
    ZCreateUser.parse({ email: `s-${unique()}@example.test`, name: "Session Person", password: PASSWORD, isAdmin }),
    null,
  );

async function appErrorOf(promise: Promise<unknown>): Promise<AppError> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(AppError);
  return error as AppError;
}

describe("sessions", () => {
  it("a session works until it is revoked, and only for its own user", async () => {
    const [a, b] = [await newUser(), await newUser()];
    const id = await createSession(a.id, "Firefox on a test bench");
    expect(await sessionIsActive(id, a.id)).toBe(true);
    expect(await sessionIsActive(id, b.id)).toBe(false);
    expect(await sessionIsActive("no-such-session", a.id)).toBe(false);
    await revokeSession(id);
    expect(await sessionIsActive(id, a.id)).toBe(false);
  });

  it("ends after its absolute lifetime, however recently it was used", async () => {
    const user = await newUser();
    const id = await createSession(user.id, null);
    const later = new Date(Date.now() + SESSION_MAX_AGE_SECONDS * 1000 + 1000);
    expect(await sessionIsActive(id, user.id, later)).toBe(false);
    expect((await listActiveSessions(user.id, later)).map((s) => s.id)).not.toContain(id);
  });

  it("records use at most once a minute", async () => {
    const user = await newUser();
    const id = await createSession(user.id, "agent");
    const created = (await db.session.findUniqueOrThrow({ where: { id } })).lastSeenAt;
    await sessionIsActive(id, user.id, new Date(created.getTime() + 30_000));
    expect((await db.session.findUniqueOrThrow({ where: { id } })).lastSeenAt.getTime()).toBe(created.getTime());
    const inTwo = new Date(created.getTime() + 120_000);
    await sessionIsActive(id, user.id, inTwo);
    expect((await db.session.findUniqueOrThrow({ where: { id } })).lastSeenAt.getTime()).toBe(inTwo.getTime());
  });

  it("signing out everywhere ends every session of that person only", async () => {
    const [a, b] = [await newUser(), await newUser()];
    const a1 = await createSession(a.id, null);
    const a2 = await createSession(a.id, null);
    const b1 = await createSession(b.id, null);
    expect(await revokeSessions(a.id)).toBe(2);
    expect([await sessionIsActive(a1, a.id), await sessionIsActive(a2, a.id), await sessionIsActive(b1, b.id)]).toEqual(
      [false, false, true],
    );
  });
});

describe("a password change", () => {
  it("keeps the session that asked and ends every other one", async () => {
    const user = await newUser();
    const mine = await createSession(user.id, "mine");
    const stolen = await createSession(user.id, "a copy elsewhere");
    await changeOwnPassword(
      user.id,
      { currentPassword: PASSWORD, newPassword: "a brand new password" },
      { keepSessionId: mine, address: address() },
    );
    expect(await sessionIsActive(mine, user.id)).toBe(true);
    expect(await sessionIsActive(stolen, user.id)).toBe(false);
    const event = await db.auditEvent.findFirstOrThrow({
      where: { action: "user.password_changed", targetId: user.id },
    });
    expect(event.details).toEqual({ endedSessions: 1 });
  });

  it("shares the sign-in throttle: wrong current passwords lock sign-in too, and a locked change answers 429", async () => {
    const user = await newUser();
    const where = address();
    const { PHALANX_LOGIN_MAX_FAILURES: max } = env();
    for (let i = 0; i < max; i++) {
      const error = await appErrorOf(
        changeOwnPassword(
          user.id,
          { currentPassword: `guess ${i}`, newPassword: "whatever it is" },
          { keepSessionId: null, address: where },
        ),
      );
      expect(error.code).toBe("invalid_input");
    }
    const locked = await appErrorOf(
      changeOwnPassword(
        user.id,
        { currentPassword: PASSWORD, newPassword: "whatever it is" },
        { keepSessionId: null, address: where },
      ),
    );
    expect(locked.code).toBe("too_many_requests");
    expect(locked.status).toBe(429);
    expect(locked.retryAfterSeconds).toBeGreaterThan(0);
    expect(await authenticate(user.email, PASSWORD, address())).toMatchObject({ ok: false, reason: "throttled" });
    // The password did not change.
    expect(await db.user.findUniqueOrThrow({ where: { id: user.id } })).toMatchObject({ mustChangePassword: false });
  });
});

describe("an administrator's reset or disable", () => {
  for (const change of [{ resetPassword: true }, { disabled: true }] as const) {
    it(`${Object.keys(change)[0]} ends every session and revokes every API token`, async () => {
      const admin = await newUser(true);
      const user = await newUser();
      const sessions = [await createSession(user.id, null), await createSession(user.id, null)];
      const { token } = await createApiToken(user.id, "script");
      expect(await userIdForApiToken(token)).toBe(user.id);
      await updateUser(user.id, ZUpdateUser.parse(change), admin.id);
      for (const id of sessions) expect(await sessionIsActive(id, user.id)).toBe(false);
      expect(await userIdForApiToken(token)).toBeNull();
    });
  }

  it("a rename ends nothing", async () => {
    const admin = await newUser(true);
    const user = await newUser();
    const id = await createSession(user.id, null);
    const { token } = await createApiToken(user.id, "script");
    await updateUser(user.id, ZUpdateUser.parse({ name: "Renamed" }), admin.id);
    expect(await sessionIsActive(id, user.id)).toBe(true);
    expect(await userIdForApiToken(token)).toBe(user.id);
  });
});
