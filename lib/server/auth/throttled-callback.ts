import "server-only";
import type { NextRequest } from "next/server";
import { clientAddress } from "./client-address";
import { errorResponse } from "@/lib/server/http/route";
import { loginRetryAfterSeconds, tooManyAttempts } from "./login-throttle";

type TPost = (request: NextRequest) => Promise<Response>;

/**
 * Auth.js answers a refused sign-in on its own credentials path with a redirect to
 * /login?code=…; a throttled one must instead be an honest 429 with Retry-After, like POST /api/session.
 */
export function withThrottleAnswer(post: TPost): TPost {
  return async (request) => {
    if (!request.nextUrl.pathname.endsWith("/callback/credentials")) return post(request);
    const form = await request
      .clone()
      .formData()
      .catch(() => null);
    const response = await post(request);
    const location =
      response.headers.get("location") ??
      (await response
        .clone()
        .json()
        .then(
          (body) => body?.url,
          () => null,
        ));
    if (typeof location !== "string" || new URL(location, request.url).searchParams.get("code") !== "throttled")
      return response;
    const email = String(form?.get("email") ?? "");
    return errorResponse(
      tooManyAttempts(await loginRetryAfterSeconds({ email, address: clientAddress(request.headers) })),
    );
  };
}
