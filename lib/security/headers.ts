/**
 * Page security headers that depend on the request (pure; applied in proxy.ts). Static ones
 * (X-Frame-Options, nosniff, the API's CSP, …) stay in next.config.js.
 */

/** 128 random bits, base64: unguessable and fresh for every page. */
export function newNonce(): string {
  const bytes = new Uint8Array(16);
  crypto.getRandomValues(bytes);
  return btoa(String.fromCharCode(...bytes));
}

/**
 * The pages' policy: scripts only with this response's nonce ('strict-dynamic' lets those load the
 * app's chunks and the hand detector's files), never inline handlers or injected markup. Styles keep
 * 'unsafe-inline' (React style attributes; styles cannot run code). Images and workers only from
 * this origin (originals are never public; blob:/data: cover canvas previews); WebAssembly for the
 * in-browser hand detector.
 */
export function pageContentSecurityPolicy(nonce: string, dev = false): string {
  return [
    "default-src 'self'",
    `script-src 'self' 'nonce-${nonce}' 'strict-dynamic' 'wasm-unsafe-eval'${dev ? " 'unsafe-eval'" : ""}`,
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' blob: data:",
    "font-src 'self'",
    "connect-src 'self'",
    "worker-src 'self' blob:",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join("; ");
}

/** Two years, subdomains included: sent only on answers that reached the browser over https. */
export const STRICT_TRANSPORT_SECURITY = "max-age=63072000; includeSubDomains";

/** Whether the browser reached us over https: only a trusted proxy's X-Forwarded-Proto says so (this server speaks plain http). */
export function servedOverHttps(trustsProxies: boolean, forwardedProto: string | null): boolean {
  return trustsProxies && forwardedProto?.split(",")[0]?.trim().toLowerCase() === "https";
}
