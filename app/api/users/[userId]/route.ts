// PATCH /api/users/{userId} – rename, disable/enable, make admin, reset password (admin)
import { NextResponse } from "next/server";
import { ZUpdateUser } from "@/lib/users/schema";
import { adminRoute } from "@/lib/server/http/api-route";
import { parseJson } from "@/lib/server/http/route";
import { updateUser } from "@/lib/server/users/update-user";

export const PATCH = adminRoute<{ userId: string }>(async ({ request, params, admin }) => {
  const change = await parseJson(request, ZUpdateUser);
  return NextResponse.json({ user: await updateUser(params.userId, change, admin.id) });
});
