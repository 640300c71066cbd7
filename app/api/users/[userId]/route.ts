// PATCH /api/users/{userId} – rename, disable/enable, make admin, reset password (admin)
import { NextResponse } from "next/server";
import { ZUpdateUser } from "@/lib/users/schema";
import { requireAdmin } from "@/lib/server/auth/authorize";
import { parseJson, route } from "@/lib/server/http/route";
import { updateUser } from "@/lib/server/users/update-user";

export const PATCH = route<{ userId: string }>(async (request, { params }) => {
  const admin = await requireAdmin();
  const change = await parseJson(request, ZUpdateUser);
  return NextResponse.json({ user: await updateUser(params.userId, change, admin.id) });
});
