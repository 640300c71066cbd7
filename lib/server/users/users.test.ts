import { randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import { AppError } from "@/lib/errors/app-error";
import { ZCreateUser, ZUpdateUser } from "@/lib/users/schema";
import { db } from "@/lib/server/db";
import { authenticate } from "@/lib/server/auth/authenticate";
import { createUser } from "@/lib/server/users/create-user";
import { updateUser } from "@/lib/server/users/update-user";
import { changeOwnPassword } from "@/lib/server/users/change-own-password";
import { listUsers } from "@/lib/server/users/list-users";

/** Each test gets its own people and its own client address, so throttle counts never mix. */
const unique = () => randomBytes(4).toString("hex");
const emailFor = (who: string) => `${who}-${unique()}@example.test`;
const address = () => `10.0.${Math.floor(Math.random() * 250)}.${unique()}`;

async function newUser(fields: { isAdmin?: boolean; password?: string; email?: string } = {}) {
  const input = ZCreateUser.parse({ email: fields.email ?? emailFor("user"), name: "Test Person", ...fields });
  return createUser(input, null);
}

async function expectAppError(promise: Promise<unknown>, code: string) {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(AppError);
  expect((error as AppError).code).toBe(code);
  return error as AppError;
}

describe("createUser", () => {
  it("stores an argon2id hash, never the password itself", async () => {
    const password = "correct horse battery";
    const user = await newUser({ password });
    const row = await db.user.findUniqueOrThrow({ where: { id: user.id } });
    expect(row.passwordHash.startsWith("$argon2id$")).toBe(true);
    expect(row.passwordHash).not.toContain(password);
    expect(row.mustChangePassword).toBe(false);
    expect(user.oneTimePassword).toBeUndefined();
  });

  it("stores the email lowercased and trimmed when input goes through the schema", async () => {
    const local = `MiXeD-${unique()}`;
    const user = await newUser({ email: `  ${local}@Example.TEST ` });
    expect(user.email).toBe(`${local.toLowerCase()}@example.test`);
    const result = await authenticate(`${local}@EXAMPLE.test`, "wrong password!", address());
    expect(result).toEqual({ ok: false, reason: "invalid" });
  });

  it("generates a one-time password that signs in and must be changed", async () => {
    const user = await newUser();
    expect(user.oneTimePassword).toMatch(/^[\w]{5}-[\w]{5}-[\w]{5}-[\w]{5}$/);
    const row = await db.user.findUniqueOrThrow({ where: { id: user.id } });
    expect(row.mustChangePassword).toBe(true);
    const result = await authenticate(user.email, user.oneTimePassword!, address());
    expect(result).toMatchObject({ ok: true, user: { id: user.id, email: user.email, isAdmin: false } });
    expect((await db.user.findUniqueOrThrow({ where: { id: user.id } })).lastLoginAt).not.toBeNull();
  });

  it("refuses a duplicate email with a conflict and creates nobody", async () => {
    const email = emailFor("dup");
    await newUser({ email });
    const before = await db.user.count();
    const error = await expectAppError(newUser({ email: email.toUpperCase() }), "conflict");
    expect(error.fields.email).toBeTruthy();
    expect(await db.user.count()).toBe(before);
  });

  it("records a user.created audit event without the password", async () => {
    const actor = await newUser({ isAdmin: true });
    const password = "a secret that must not leak";
    const input = ZCreateUser.parse({ email: emailFor("audited"), name: "Audited", password });
    const user = await createUser(input, actor.id);
    const events = await db.auditEvent.findMany({ where: { action: "user.created", targetId: user.id } });
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ actorId: actor.id, targetType: "user" });
    expect(events[0].details).toEqual({ email: user.email, isAdmin: false });
    expect(JSON.stringify(events[0])).not.toContain(password);
  });
});

describe("updateUser", () => {
  it("refuses to demote or disable the last active admin and changes nothing", async () => {
    // Start from a known state: every other admin is disabled.
    await db.user.updateMany({ where: { isAdmin: true }, data: { disabledAt: new Date() } });
    const admin = await newUser({ isAdmin: true });
    const eventsBefore = await db.auditEvent.count();

    await expectAppError(updateUser(admin.id, ZUpdateUser.parse({ isAdmin: false }), admin.id), "conflict");
    await expectAppError(updateUser(admin.id, ZUpdateUser.parse({ disabled: true }), admin.id), "conflict");
    await expectAppError(
      updateUser(admin.id, ZUpdateUser.parse({ disabled: true, name: "Renamed" }), admin.id),
      "conflict",
    );

    const row = await db.user.findUniqueOrThrow({ where: { id: admin.id } });
    expect(row).toMatchObject({ isAdmin: true, disabledAt: null, name: "Test Person" });
    expect(await db.auditEvent.count()).toBe(eventsBefore);
  });

  it("lets an admin be demoted once another active admin exists", async () => {
    const first = await newUser({ isAdmin: true });
    const second = await newUser({ isAdmin: true });
    const updated = await updateUser(first.id, ZUpdateUser.parse({ isAdmin: false }), second.id);
    expect(updated.isAdmin).toBe(false);
    const event = await db.auditEvent.findFirstOrThrow({ where: { action: "user.role_changed", targetId: first.id } });
    expect(event.details).toEqual({ isAdmin: false, passwordReset: false });
  });

  it("resets the password: the new one signs in, the old one no longer does", async () => {
    const admin = await newUser({ isAdmin: true });
    const oldPassword = "the old password 1";
    const user = await newUser({ password: oldPassword });
    const updated = await updateUser(user.id, ZUpdateUser.parse({ resetPassword: true }), admin.id);
    expect(updated.oneTimePassword).toBeTruthy();
    expect(updated.oneTimePassword).not.toBe(oldPassword);

    expect(await authenticate(user.email, oldPassword, address())).toEqual({ ok: false, reason: "invalid" });
    expect(await authenticate(user.email, updated.oneTimePassword!, address())).toMatchObject({ ok: true });
    expect((await db.user.findUniqueOrThrow({ where: { id: user.id } })).mustChangePassword).toBe(true);

    const event = await db.auditEvent.findFirstOrThrow({ where: { action: "user.updated", targetId: user.id } });
    expect(event.details).toEqual({ passwordReset: true });
    expect(JSON.stringify(event.details)).not.toContain(updated.oneTimePassword!);
  });

  it("a disabled user cannot sign in, and can again once re-enabled", async () => {
    const admin = await newUser({ isAdmin: true });
    const password = "a fine password";
    const user = await newUser({ password });
    const disabled = await updateUser(user.id, ZUpdateUser.parse({ disabled: true }), admin.id);
    expect(disabled.disabledAt).toBeInstanceOf(Date);
    expect(await authenticate(user.email, password, address())).toEqual({ ok: false, reason: "disabled" });

    // Disabling again keeps the original timestamp.
    const again = await updateUser(user.id, ZUpdateUser.parse({ disabled: true }), admin.id);
    expect(again.disabledAt?.getTime()).toBe(disabled.disabledAt!.getTime());

    await updateUser(user.id, ZUpdateUser.parse({ disabled: false }), admin.id);
    expect(await authenticate(user.email, password, address())).toMatchObject({ ok: true });
  });

  it("reports an unknown user as not_found", async () => {
    const admin = await newUser({ isAdmin: true });
    await expectAppError(updateUser("no-such-user", ZUpdateUser.parse({ name: "X" }), admin.id), "not_found");
  });
});

describe("changeOwnPassword", () => {
  it("needs the current password, then swaps passwords and clears mustChangePassword", async () => {
    const user = await newUser();
    const oneTime = user.oneTimePassword!;
    const error = await expectAppError(
      changeOwnPassword(
        user.id,
        { currentPassword: "not it at all", newPassword: "my new password" },
        { keepSessionId: null, address: address() },
      ),
      "invalid_input",
    );
    expect(error.fields.currentPassword).toBeTruthy();
    expect(await authenticate(user.email, oneTime, address())).toMatchObject({ ok: true });

    await changeOwnPassword(
      user.id,
      { currentPassword: oneTime, newPassword: "my new password" },
      { keepSessionId: null, address: address() },
    );
    const row = await db.user.findUniqueOrThrow({ where: { id: user.id } });
    expect(row.mustChangePassword).toBe(false);
    expect(await authenticate(user.email, oneTime, address())).toEqual({ ok: false, reason: "invalid" });
    expect(await authenticate(user.email, "my new password", address())).toMatchObject({ ok: true });
    expect(
      await db.auditEvent.count({ where: { action: "user.password_changed", targetId: user.id, actorId: user.id } }),
    ).toBe(1);
  });
});

describe("listUsers", () => {
  it("lists people by email with their membership count and without password hashes", async () => {
    const b = await newUser({ email: `zz-b-${unique()}@example.test` });
    const a = await newUser({ email: `zz-a-${unique()}@example.test` });
    const project = await db.project.create({ data: { name: "P", gestures: [], handAttributes: [], imageFlags: [] } });
    await db.membership.createMany({
      data: [
        { projectId: project.id, userId: a.id, role: "annotator" },
        { projectId: project.id, userId: a.id, role: "reviewer" },
      ],
    });
    const users = await listUsers();
    const emails = users.map((u) => u.email);
    expect(emails).toEqual([...emails].sort());
    expect(emails.indexOf(a.email)).toBeLessThan(emails.indexOf(b.email));
    expect(users.find((u) => u.id === a.id)?._count.memberships).toBe(2);
    expect(users.find((u) => u.id === b.id)?._count.memberships).toBe(0);
    expect(users.every((u) => !("passwordHash" in u))).toBe(true);
  });
});

describe("last-admin guard under concurrency", () => {
  it("demoting every admin at once leaves at least one active admin", async () => {
    const admins = await db.user.findMany({ where: { isAdmin: true, disabledAt: null }, select: { id: true } });
    const newAdmin = () =>
      createUser(
        ZCreateUser.parse({
          email: `admin-${randomBytes(4).toString("hex")}@example.test`,
          name: "Extra",
          password: "a long password",
          isAdmin: true,
        }),
        null,
      );
    const extras = [await newAdmin(), await newAdmin()];
    const everyone = [...admins.map((admin) => admin.id), ...extras.map((extra) => extra.id)];
    await Promise.allSettled(everyone.map((id) => updateUser(id, ZUpdateUser.parse({ isAdmin: false }), id)));
    expect(await db.user.count({ where: { isAdmin: true, disabledAt: null } })).toBe(1);
  });
});
