import { NextResponse, type NextRequest } from "next/server";
import { env } from "@/lib/env";
import { guardApiRequest } from "@/lib/security/request-guard";
import { API_CONTENT_SECURITY_POLICY, newNonce, pageContentSecurityPolicy, servedOverHttps, STRICT_TRANSPORT_SECURITY } from "@/lib/security/headers";

/**
 * Runs before every route (Next 16's middleware). The one place for request-level security:
 * lib/security/request-guard.ts decides which API requests may reach a handler at all (CSRF, content
 * type, API tokens and the account); every page gets a fresh CSP nonce; HSTS behind https.
 */
export function proxy(request: NextRequest) {
  const { pathname } = request.nextUrl;
  const behindProxy = env().PHALANX_TRUSTED_PROXIES.kind !== "none";
  const https = servedOverHttps(behindProxy, request.headers.get("x-forwarded-proto"));

  if (pathname.startsWith("/api/")) {
    const length = Number(request.headers.get("content-length") ?? 0);
    const decision = guardApiRequest({
      method: request.method,
      pathname,
      host: (behindProxy && request.headers.get("x-forwarded-host")) || request.headers.get("host"),
      origin: request.headers.get("origin"),
      secFetchSite: request.headers.get("sec-fetch-site"),
      contentType: request.headers.get("content-type"),
      hasBody: length > 0 || !!request.headers.get("transfer-encoding"),
      authorization: request.headers.get("authorization"),
    });
    const response = decision.allow ? NextResponse.next() : NextResponse.json({ error: decision.message, code: decision.code }, { status: decision.status });
    response.headers.set("content-security-policy", API_CONTENT_SECURITY_POLICY);
    if (https) response.headers.set("strict-transport-security", STRICT_TRANSPORT_SECURITY);
    return response;
  }

  // Next reads the nonce from the request's CSP header and puts it on its own scripts (pages are
  // rendered per request: app/layout.tsx).
  const nonce = newNonce();
  const policy = pageContentSecurityPolicy(nonce, process.env.NODE_ENV === "development");
  const requestHeaders = new Headers(request.headers);
  requestHeaders.set("x-nonce", nonce);
  requestHeaders.set("content-security-policy", policy);
  const response = NextResponse.next({ request: { headers: requestHeaders } });
  response.headers.set("content-security-policy", policy);
  if (https) response.headers.set("strict-transport-security", STRICT_TRANSPORT_SECURITY);
  return response;
}

export const config = {
  // Static build output and the hand detector's files need no per-request decision.
  matcher: ["/((?!_next/static|_next/image|favicon.ico|mediapipe/).*)"],
};
