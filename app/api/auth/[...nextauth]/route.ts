// GET, POST /api/auth/* – Auth.js' own endpoints (session, CSRF token, callbacks)
import type { NextRequest } from "next/server";
import { handlers } from "@/lib/server/auth/config";
import { publicRoute } from "@/lib/server/http/api-route";

const reason = "Auth.js signs people in and out here and checks its own CSRF token";
export const GET = publicRoute({ reason }, ({ request }) => handlers.GET(request as NextRequest));
export const POST = publicRoute({ reason }, ({ request }) => handlers.POST(request as NextRequest));
