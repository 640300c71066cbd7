import "server-only";
import { cache } from "react";
import { headers } from "next/headers";
import { auth } from "./config";
import { db } from "@/lib/server/db";
import { userIdForApiToken } from "@/lib/server/tokens/api-tokens";

export type TCurrentUser = { id: string; email: string; name: string; isAdmin: boolean; mustChangePassword: boolean };

/** A script's personal API token (`Authorization: Bearer phx_…`) stands in for a session. */
async function userIdFromBearer(): Promise<string | null> {
  const authorization = (await headers()).get("authorization");
  const token = authorization?.match(/^Bearer\s+(\S+)$/i)?.[1];
  return token ? userIdForApiToken(token) : null;
}

/**
 * The signed-in person (session cookie or API token), read fresh from the database once per request,
 * so that disabling an account or revoking admin takes effect at once rather than when the session expires.
 */
export const currentUser = cache(async (): Promise<TCurrentUser | null> => {
  const session = await auth();
  const id = session?.user?.id ?? (await userIdFromBearer());
  if (!id) return null;
  const user = await db.user.findUnique({
    where: { id },
    select: { id: true, email: true, name: true, isAdmin: true, mustChangePassword: true, disabledAt: true },
  });
  if (!user || user.disabledAt) return null;
  const { disabledAt: _disabled, ...rest } = user;
  return rest;
});
