// POST /api/account/password – change one's own password
import { NextResponse } from "next/server";
import { ZChangeOwnPassword } from "@/lib/users/schema";
import { requireUser } from "@/lib/server/auth/authorize";
import { clientAddress } from "@/lib/server/auth/client-address";
import { currentSessionId } from "@/lib/server/auth/current-credential";
import { parseJson, route } from "@/lib/server/http/route";
import { changeOwnPassword } from "@/lib/server/users/change-own-password";

export const POST = route(async (request) => {
  const user = await requireUser();
  await changeOwnPassword(user.id, await parseJson(request, ZChangeOwnPassword), { keepSessionId: await currentSessionId(), address: clientAddress(request.headers) });
  return NextResponse.json({ ok: true });
});
