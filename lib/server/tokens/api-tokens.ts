import "server-only";
import { createHash, randomBytes } from "node:crypto";
import { AppError } from "@/lib/errors/app-error";
import { db } from "@/lib/server/db";
import { recordAuditEvent } from "@/lib/server/audit/record-audit-event";

const PREFIX = "phx_";
const hashOf = (token: string) => createHash("sha256").update(token).digest("hex");

/** Creates a personal API token; the token itself is returned once and only its sha256 is kept. */
export async function createApiToken(userId: string, name: string, expiresAt?: Date) {
  const token = `${PREFIX}${randomBytes(32).toString("base64url")}`;
  const row = await db.apiToken.create({
    data: { userId, name, tokenHash: hashOf(token), prefix: token.slice(0, PREFIX.length + 6), expiresAt },
    select: { id: true, name: true, prefix: true, createdAt: true, expiresAt: true },
  });
  await recordAuditEvent({
    actorId: userId,
    action: "api_token.created",
    targetType: "api_token",
    targetId: row.id,
    details: { name },
  });
  return { ...row, token };
}

export function listApiTokens(userId: string) {
  return db.apiToken.findMany({
    where: { userId },
    orderBy: { createdAt: "desc" },
    select: { id: true, name: true, prefix: true, createdAt: true, lastUsedAt: true, expiresAt: true, revokedAt: true },
  });
}

export async function revokeApiToken(userId: string, tokenId: string) {
  const { count } = await db.apiToken.updateMany({
    where: { id: tokenId, userId, revokedAt: null },
    data: { revokedAt: new Date() },
  });
  if (count === 0) throw new AppError("not_found", "No such active token");
  await recordAuditEvent({ actorId: userId, action: "api_token.revoked", targetType: "api_token", targetId: tokenId });
}

/** The user id behind a bearer token, or null when it is unknown, revoked or expired. */
export async function userIdForApiToken(token: string, now = new Date()): Promise<string | null> {
  if (!token.startsWith(PREFIX)) return null;
  const row = await db.apiToken.findUnique({
    where: { tokenHash: hashOf(token) },
    select: { id: true, userId: true, revokedAt: true, expiresAt: true, lastUsedAt: true },
  });
  if (!row || row.revokedAt || (row.expiresAt && row.expiresAt <= now)) return null;
  // Record use at most once a minute: scripts call in tight loops.
  if (!row.lastUsedAt || now.getTime() - row.lastUsedAt.getTime() > 60_000) {
    await db.apiToken.update({ where: { id: row.id }, data: { lastUsedAt: now } });
  }
  return row.userId;
}
