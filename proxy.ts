import { NextResponse, type NextRequest } from "next/server";
import { env } from "@/lib/env";
import {
  newNonce,
  pageContentSecurityPolicy,
  servedOverHttps,
  STRICT_TRANSPORT_SECURITY,
} from "@/lib/security/headers";

/**
 * Runs before every page (Next 16's middleware): a fresh CSP nonce per page, and HSTS behind https.
 * Next reads the nonce from the request's CSP header and puts it on its own scripts (pages are rendered
 * per request: app/layout.tsx). API routes are left out on purpose: Next makes a proxy wait for the
 * whole request body and passes only its first 10 MB on, so API requests are guarded in their handlers
 * instead (lib/server/http/request-guard.ts).
 */
export function proxy(request: NextRequest) {
  const nonce = newNonce();
  const policy = pageContentSecurityPolicy(nonce, process.env.NODE_ENV === "development");
  const requestHeaders = new Headers(request.headers);
  requestHeaders.set("x-nonce", nonce);
  requestHeaders.set("content-security-policy", policy);
  const response = NextResponse.next({ request: { headers: requestHeaders } });
  response.headers.set("content-security-policy", policy);
  if (servedOverHttps(env().PHALANX_TRUSTED_PROXIES.kind !== "none", request.headers.get("x-forwarded-proto"))) {
    response.headers.set("strict-transport-security", STRICT_TRANSPORT_SECURITY);
  }
  return response;
}

export const config = {
  // Static build output, the hand detector's files and the API need no page headers.
  matcher: ["/((?!api/|_next/static|_next/image|favicon.ico|mediapipe/|tfjs/|models/).*)"],
};
