// DELETE /api/account/tokens/{tokenId} – revoke one of my API tokens
import { NextResponse } from "next/server";
import { requireUser } from "@/lib/server/auth/authorize";
import { route } from "@/lib/server/http/route";
import { revokeApiToken } from "@/lib/server/tokens/api-tokens";

export const DELETE = route<{ tokenId: string }>(async (_request, { params }) => {
  const user = await requireUser();
  await revokeApiToken(user.id, params.tokenId);
  return NextResponse.json({ ok: true });
});
