// GET /api/account/tokens – my API tokens; POST – create one (the token is in this answer only)
import { NextResponse } from "next/server";
import { ZCreateApiToken } from "@/lib/users/token-schema";
import { userRoute } from "@/lib/server/http/api-route";
import { parseJson } from "@/lib/server/http/route";
import { createApiToken, listApiTokens } from "@/lib/server/tokens/api-tokens";

export const GET = userRoute(async ({ user }) => {
  return NextResponse.json({ tokens: await listApiTokens(user.id) });
});

export const POST = userRoute(async ({ request, user }) => {
  const { name, expiresInDays } = await parseJson(request, ZCreateApiToken);
  const expiresAt = expiresInDays ? new Date(Date.now() + expiresInDays * 24 * 3600 * 1000) : undefined;
  return NextResponse.json({ token: await createApiToken(user.id, name, expiresAt) }, { status: 201 });
});
