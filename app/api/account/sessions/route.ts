// GET /api/account/sessions – my signed-in sessions; DELETE – sign out everywhere (this session too)
import { NextResponse } from "next/server";
import { signOut } from "@/lib/server/auth/config";
import { currentSessionId } from "@/lib/server/auth/current-credential";
import { listActiveSessions, revokeSessions } from "@/lib/server/auth/sessions";
import { userRoute } from "@/lib/server/http/api-route";

export const GET = userRoute(async ({ user }) => {
  const current = await currentSessionId();
  const sessions = await listActiveSessions(user.id);
  return NextResponse.json({ sessions: sessions.map((session) => ({ ...session, current: session.id === current })) });
});

export const DELETE = userRoute(async ({ user }) => {
  const ended = await revokeSessions(user.id);
  await signOut({ redirect: false });
  return NextResponse.json({ ended });
});
