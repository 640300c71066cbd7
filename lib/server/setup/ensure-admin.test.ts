import { describe, expect, it } from "vitest";
import { db } from "@/lib/server/db";
import { authenticate } from "@/lib/server/auth/authenticate";
import { ensureAdmin } from "@/lib/server/setup/ensure-admin";

// Runs without PHALANX_ADMIN_EMAIL / PHALANX_ADMIN_PASSWORD; ensure-admin-env.test.ts covers them.
describe("ensureAdmin without configured credentials", () => {
  it("creates exactly one admin on an empty database and returns its password once", async () => {
    if (process.env.PHALANX_ADMIN_EMAIL || process.env.PHALANX_ADMIN_PASSWORD) return;
    expect(await db.user.count()).toBe(0);

    const created = await ensureAdmin();
    expect(created?.email).toBe("admin@phalanx.local");
    expect(created?.password).toMatch(/^[\w]{5}(-[\w]{5}){3}$/);

    const users = await db.user.findMany();
    expect(users).toHaveLength(1);
    expect(users[0]).toMatchObject({
      email: "admin@phalanx.local",
      isAdmin: true,
      disabledAt: null,
      mustChangePassword: true,
    });
    expect(users[0].passwordHash.startsWith("$argon2id$")).toBe(true);
    expect(users[0].passwordHash).not.toContain(created!.password!);
    expect(await db.auditEvent.count({ where: { action: "user.created", targetId: users[0].id, actorId: null } })).toBe(
      1,
    );

    const signIn = await authenticate("admin@phalanx.local", created!.password!, "127.0.0.1");
    expect(signIn).toMatchObject({ ok: true, user: { id: users[0].id, isAdmin: true } });
  });

  it("does nothing and returns null once anyone exists", async () => {
    const hashBefore = (await db.user.findMany()).map((u) => u.passwordHash);
    expect(await ensureAdmin()).toBeNull();
    expect(await ensureAdmin()).toBeNull();
    expect((await db.user.findMany()).map((u) => u.passwordHash)).toEqual(hashBefore);
  });
});
