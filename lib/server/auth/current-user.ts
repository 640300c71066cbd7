import "server-only";
import { cache } from "react";
import { currentCredential } from "./current-credential";
import { db } from "@/lib/server/db";

export type TCurrentUser = { id: string; email: string; name: string; isAdmin: boolean; mustChangePassword: boolean };

/**
 * The signed-in person (session cookie or API token), read fresh from the database once per request,
 * so that disabling an account or revoking admin takes effect at once rather than when the session expires.
 */
export const currentUser = cache(async (): Promise<TCurrentUser | null> => {
  const id = (await currentCredential())?.userId;
  if (!id) return null;
  const user = await db.user.findUnique({
    where: { id },
    select: { id: true, email: true, name: true, isAdmin: true, mustChangePassword: true, disabledAt: true },
  });
  if (!user || user.disabledAt) return null;
  const { disabledAt: _disabled, ...rest } = user;
  return rest;
});
