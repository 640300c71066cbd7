import "server-only";
import { db } from "@/lib/server/db";
import { type TTx } from "@/lib/server/audit/record-audit-event";

/**
 * Server-side session records behind the Auth.js JWT (OWASP ASVS 3.3): the JWT carries a session id,
 * and a session counts only while its row exists, belongs to the token's user and is not revoked.
 * Revoking the row ends the session on the next request, whatever copies of the cookie exist.
 */

/** The same lifetime as the JWT (lib/server/auth/config.ts): an absolute limit, not renewed by use. */
export const SESSION_MAX_AGE_SECONDS = 12 * 60 * 60;
const SEEN_EVERY_MS = 60_000;

export async function createSession(userId: string, userAgent: string | null): Promise<string> {
  const row = await db.session.create({
    data: { userId, userAgent: (userAgent ?? "").slice(0, 300) },
    select: { id: true },
  });
  return row.id;
}

/** True while the session may be used; records use at most once a minute. */
export async function sessionIsActive(sessionId: string, userId: string, now = new Date()): Promise<boolean> {
  const row = await db.session.findUnique({
    where: { id: sessionId },
    select: { userId: true, revokedAt: true, createdAt: true, lastSeenAt: true },
  });
  if (!row || row.userId !== userId || row.revokedAt) return false;
  if (now.getTime() - row.createdAt.getTime() > SESSION_MAX_AGE_SECONDS * 1000) return false;
  if (now.getTime() - row.lastSeenAt.getTime() > SEEN_EVERY_MS) {
    await db.session.update({ where: { id: sessionId }, data: { lastSeenAt: now } });
  }
  return true;
}

export async function revokeSession(sessionId: string): Promise<void> {
  await db.session.updateMany({ where: { id: sessionId, revokedAt: null }, data: { revokedAt: new Date() } });
}

/** Ends every session of a person, except `exceptSessionId` (the one that asked, on a password change). */
export async function revokeSessions(
  userId: string,
  options: { exceptSessionId?: string | null; tx?: TTx } = {},
): Promise<number> {
  const { count } = await (options.tx ?? db).session.updateMany({
    where: { userId, revokedAt: null, ...(options.exceptSessionId ? { id: { not: options.exceptSessionId } } : {}) },
    data: { revokedAt: new Date() },
  });
  return count;
}

/** An administrator's reset or disable: every session and every API token of the person stop working. */
export async function revokeAllCredentials(userId: string, tx: TTx = db): Promise<void> {
  await revokeSessions(userId, { tx });
  await tx.apiToken.updateMany({ where: { userId, revokedAt: null }, data: { revokedAt: new Date() } });
}

/** A person's sessions that still work, newest first (for the account page). */
export function listActiveSessions(userId: string, now = new Date()) {
  return db.session.findMany({
    where: { userId, revokedAt: null, createdAt: { gt: new Date(now.getTime() - SESSION_MAX_AGE_SECONDS * 1000) } },
    orderBy: { lastSeenAt: "desc" },
    select: { id: true, userAgent: true, createdAt: true, lastSeenAt: true },
  });
}
