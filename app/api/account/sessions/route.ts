// GET /api/account/sessions – my signed-in sessions; DELETE – sign out everywhere (this session too)
import { NextResponse } from "next/server";
import { requireUser } from "@/lib/server/auth/authorize";
import { signOut } from "@/lib/server/auth/config";
import { currentSessionId } from "@/lib/server/auth/current-credential";
import { listActiveSessions, revokeSessions } from "@/lib/server/auth/sessions";
import { route } from "@/lib/server/http/route";

export const GET = route(async () => {
  const user = await requireUser();
  const current = await currentSessionId();
  const sessions = await listActiveSessions(user.id);
  return NextResponse.json({ sessions: sessions.map((session) => ({ ...session, current: session.id === current })) });
});

export const DELETE = route(async () => {
  const user = await requireUser();
  const ended = await revokeSessions(user.id);
  await signOut({ redirect: false });
  return NextResponse.json({ ended });
});
