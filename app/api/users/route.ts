// GET /api/users – list accounts (admin); POST /api/users – create an account (admin)
import { NextResponse } from "next/server";
import { ZCreateUser } from "@/lib/users/schema";
import { adminRoute } from "@/lib/server/http/api-route";
import { parseJson } from "@/lib/server/http/route";
import { createUser } from "@/lib/server/users/create-user";
import { listUsers } from "@/lib/server/users/list-users";

export const GET = adminRoute(async () => {
  return NextResponse.json({ users: await listUsers() });
});

export const POST = adminRoute(async ({ request, admin }) => {
  const input = await parseJson(request, ZCreateUser);
  return NextResponse.json({ user: await createUser(input, admin.id) }, { status: 201 });
});
