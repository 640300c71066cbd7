// POST /api/account/password – change one's own password
import { NextResponse } from "next/server";
import { ZChangeOwnPassword } from "@/lib/users/schema";
import { userRoute } from "@/lib/server/http/api-route";
import { parseJson } from "@/lib/server/http/route";
import { changeOwnPassword } from "@/lib/server/users/change-own-password";

export const POST = userRoute(async ({ request, user }) => {
  await changeOwnPassword(user.id, await parseJson(request, ZChangeOwnPassword));
  return NextResponse.json({ ok: true });
});
