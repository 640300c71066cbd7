// DELETE /api/account/tokens/{tokenId} – revoke one of my API tokens
import { NextResponse } from "next/server";
import { userRoute } from "@/lib/server/http/api-route";
import { revokeApiToken } from "@/lib/server/tokens/api-tokens";

export const DELETE = userRoute<{ tokenId: string }>(async ({ params, user }) => {
  await revokeApiToken(user.id, params.tokenId);
  return NextResponse.json({ ok: true });
});
