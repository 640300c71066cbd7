import "server-only";
import { NextResponse } from "next/server";
import { env } from "@/lib/env";
import { guardApiRequest } from "@/lib/security/request-guard";

/**
 * Applies lib/security/request-guard.ts to an API request: the refusal to send, or null to go on.
 * Called first by every API handler (route() and the Auth.js handler). Not in proxy.ts: Next makes a
 * proxy wait for the whole request body and hands the handler only its first 10 MB, which would let any
 * big body in and cut uploads short.
 */
export function refuseForeignRequest(request: Request): Response | null {
  const headers = request.headers;
  const length = Number(headers.get("content-length") ?? 0);
  const decision = guardApiRequest({
    method: request.method,
    pathname: new URL(request.url).pathname,
    host: (env().PHALANX_TRUSTED_PROXIES.kind !== "none" && headers.get("x-forwarded-host")) || headers.get("host"),
    origin: headers.get("origin"),
    secFetchSite: headers.get("sec-fetch-site"),
    contentType: headers.get("content-type"),
    hasBody: length > 0 || !!headers.get("transfer-encoding"),
    authorization: headers.get("authorization"),
  });
  return decision.allow
    ? null
    : NextResponse.json({ error: decision.message, code: decision.code }, { status: decision.status });
}
