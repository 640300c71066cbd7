import { describe, expect, it, vi } from "vitest";

// env() reads and caches process.env on first use, which happens while the imports below load:
// vi.hoisted runs before them.
const configured = vi.hoisted(() => {
  const values = { email: "owner@example.test", password: "configured admin password" };
  process.env.PHALANX_ADMIN_EMAIL = values.email;
  process.env.PHALANX_ADMIN_PASSWORD = values.password;
  return values;
});

import { db } from "@/lib/server/db";
import { authenticate } from "@/lib/server/auth/authenticate";
import { ensureAdmin } from "@/lib/server/setup/ensure-admin";

describe("ensureAdmin with PHALANX_ADMIN_EMAIL and PHALANX_ADMIN_PASSWORD", () => {
  it("creates the configured admin, returns no password, and the configured one signs in", async () => {
    expect(await db.user.count()).toBe(0);
    const created = await ensureAdmin();
    expect(created).toEqual({ email: configured.email, password: undefined });

    const users = await db.user.findMany();
    expect(users).toHaveLength(1);
    // The operator chose this password, so there is nothing to change at first sign-in.
    expect(users[0]).toMatchObject({ email: configured.email, isAdmin: true, mustChangePassword: false });
    expect(users[0].passwordHash).not.toContain(configured.password);
    expect(await authenticate(configured.email, configured.password, "127.0.0.1")).toMatchObject({ ok: true });
  });

  it("never replaces the configured admin on later starts", async () => {
    expect(await ensureAdmin()).toBeNull();
    expect(await db.user.count()).toBe(1);
  });
});
