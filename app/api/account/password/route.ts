// POST /api/account/password – change one's own password (ends every other session of the person)
import { NextResponse } from "next/server";
import { ZChangeOwnPassword } from "@/lib/users/schema";
import { clientAddress } from "@/lib/server/auth/client-address";
import { currentSessionId } from "@/lib/server/auth/current-credential";
import { userRoute } from "@/lib/server/http/api-route";
import { parseJson } from "@/lib/server/http/route";
import { changeOwnPassword } from "@/lib/server/users/change-own-password";

export const POST = userRoute(async ({ request, user }) => {
  const input = await parseJson(request, ZChangeOwnPassword);
  await changeOwnPassword(user.id, input, {
    keepSessionId: await currentSessionId(),
    address: clientAddress(request.headers),
  });
  return NextResponse.json({ ok: true });
});
