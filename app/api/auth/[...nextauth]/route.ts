// GET, POST /api/auth/* – Auth.js' own endpoints (session, CSRF token, callbacks)
import type { NextRequest } from "next/server";
import { handlers } from "@/lib/server/auth/config";
import { withThrottleAnswer } from "@/lib/server/auth/throttled-callback";
import { publicRoute } from "@/lib/server/http/api-route";

const reason = "Auth.js signs people in and out here and checks its own CSRF token";
// A throttled credentials sign-in answers 429 with Retry-After instead of Auth.js' redirect.
const post = withThrottleAnswer(handlers.POST);
export const GET = publicRoute({ reason }, ({ request }) => handlers.GET(request as NextRequest));
export const POST = publicRoute({ reason }, ({ request }) => post(request as NextRequest));
