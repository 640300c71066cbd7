import "server-only";
import { cache } from "react";
import { headers } from "next/headers";
import { auth } from "./config";
import { sessionIsActive } from "./sessions";
import { userIdForApiToken } from "@/lib/server/tokens/api-tokens";

/** How this request proved who it is: a browser session (cookie) or a personal API token. */
export type TCredential = { kind: "session"; userId: string; sessionId: string } | { kind: "token"; userId: string };

/**
 * The request's credential, checked against the database once per request: a session counts only
 * while its server-side row is active (a JWT without one, from before sessions were recorded, does not).
 */
export const currentCredential = cache(async (): Promise<TCredential | null> => {
  const session = await auth();
  if (session?.user?.id) {
    const { sessionId } = session;
    if (sessionId && (await sessionIsActive(sessionId, session.user.id)))
      return { kind: "session", userId: session.user.id, sessionId };
  }
  const authorization = (await headers()).get("authorization");
  const token = authorization?.match(/^Bearer\s+(\S+)$/i)?.[1];
  const userId = token ? await userIdForApiToken(token) : null;
  return userId ? { kind: "token", userId } : null;
});

/** The id of the browser session behind this request, or null for API tokens and anonymous requests. */
export async function currentSessionId(): Promise<string | null> {
  const credential = await currentCredential();
  return credential?.kind === "session" ? credential.sessionId : null;
}
