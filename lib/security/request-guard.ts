/**
 * Which API requests may reach a route handler at all, decided from their headers alone (pure; applied
 * by lib/server/http/request-guard.ts before any API handler runs). Three rules:
 *
 * 1. Personal API tokens are for scripts using the data API: a request carrying `Authorization: Bearer`
 *    may not touch /api/account/** (tokens cannot mint tokens, change the password or end sessions), so a
 *    leaked token cannot outlive its own revocation.
 * 2. Cross-site request forgery: a state-changing request (POST, PUT, PATCH, DELETE) that a browser could
 *    have sent with the person's cookie must come from this app's own origin:
 *    - `Origin` present: its host must be the host the request was sent to ("null" never matches);
 *    - no `Origin`: `Sec-Fetch-Site` must be `same-origin` when present;
 *    - neither header: not a browser (every browser in use sends `Origin` on cross-origin POSTs and
 *      `Sec-Fetch-Site` on every request), so curl, scripts and test clients pass.
 *    Bearer-token requests are exempt: a cross-site page cannot attach an Authorization header without a
 *    CORS preflight, which this app never grants. Sign-in is covered too (login CSRF).
 * 3. Content type: a state-changing request with a body must send `application/json`, except the upload
 *    endpoints (multipart) and Auth.js's own form posts; anything else is 415. A cross-site HTML form
 *    can only send form encodings or text/plain, so this also stops "simple" cross-site requests.
 */

export type TRequestFacts = {
  method: string;
  pathname: string;
  /** The host the request was sent to (Host, or X-Forwarded-Host from a trusted proxy). */
  host: string | null;
  origin: string | null;
  secFetchSite: string | null;
  contentType: string | null;
  /** Content-Length above 0, or a chunked body. */
  hasBody: boolean;
  authorization: string | null;
};

export type TGuardDecision =
  { allow: true } | { allow: false; status: 403 | 415; code: "forbidden" | "unsupported_media_type"; message: string };

const STATE_CHANGING = new Set(["POST", "PUT", "PATCH", "DELETE"]);
/** Endpoints that take files (each also accepts JSON where it has no file). */
const MULTIPART_PATHS = /^\/api\/(v1\/)?projects\/[^/]+\/(images|imports|subjects\/[^/]+\/consent)\/?$/;
const AUTHJS_PATHS = /^\/api\/auth\//;

const isBearer = (authorization: string | null) => !!authorization && /^Bearer\s+\S+$/i.test(authorization);
const mediaType = (contentType: string | null) => contentType?.split(";")[0]?.trim().toLowerCase() ?? "";

function sameOrigin(origin: string, host: string | null): boolean {
  if (!host || origin === "null") return false;
  try {
    return new URL(origin).host.toLowerCase() === host.toLowerCase();
  } catch {
    return false;
  }
}

export function guardApiRequest(facts: TRequestFacts): TGuardDecision {
  const method = facts.method.toUpperCase();
  if (!facts.pathname.startsWith("/api/")) return { allow: true };
  const bearer = isBearer(facts.authorization);

  if (bearer && facts.pathname.startsWith("/api/account/")) {
    return {
      allow: false,
      status: 403,
      code: "forbidden",
      message: "API tokens cannot manage the account or its tokens; sign in with a browser to do this",
    };
  }
  if (!STATE_CHANGING.has(method)) return { allow: true };

  if (!bearer) {
    const fromElsewhere =
      facts.origin !== null
        ? !sameOrigin(facts.origin, facts.host)
        : facts.secFetchSite !== null && facts.secFetchSite.toLowerCase() !== "same-origin";
    if (fromElsewhere) {
      return {
        allow: false,
        status: 403,
        code: "forbidden",
        message: "This request came from another site; open Phalanx itself and try again",
      };
    }
  }

  const type = mediaType(facts.contentType);
  if (!facts.hasBody && !type) return { allow: true };
  if (type === "application/json") return { allow: true };
  if (type === "multipart/form-data" && MULTIPART_PATHS.test(facts.pathname)) return { allow: true };
  if (type === "application/x-www-form-urlencoded" && AUTHJS_PATHS.test(facts.pathname)) return { allow: true };
  return {
    allow: false,
    status: 415,
    code: "unsupported_media_type",
    message: MULTIPART_PATHS.test(facts.pathname)
      ? "Send this request as application/json or multipart/form-data"
      : "Send this request as application/json",
  };
}
