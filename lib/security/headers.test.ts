import { describe, expect, it } from "vitest";
import { newNonce, pageContentSecurityPolicy, servedOverHttps } from "./headers";

describe("page CSP", () => {
  it("allows scripts only by nonce: no 'unsafe-inline' and no 'unsafe-eval' for scripts in production", () => {
    const nonce = newNonce();
    const scriptSrc = pageContentSecurityPolicy(nonce)
      .split("; ")
      .find((d) => d.startsWith("script-src "))!;
    expect(scriptSrc).toContain(`'nonce-${nonce}'`);
    expect(scriptSrc).not.toContain("'unsafe-inline'");
    expect(scriptSrc).not.toContain("'unsafe-eval'");
    expect(pageContentSecurityPolicy(nonce)).toContain("object-src 'none'");
    expect(pageContentSecurityPolicy(nonce)).toContain("frame-ancestors 'none'");
  });

  it("makes a fresh, unguessable nonce every time", () => {
    const nonces = new Set(Array.from({ length: 100 }, newNonce));
    expect(nonces.size).toBe(100);
    for (const nonce of nonces) expect(Buffer.from(nonce, "base64")).toHaveLength(16);
  });
});

describe("HSTS", () => {
  it("is sent only when a trusted proxy says the browser used https", () => {
    expect(servedOverHttps(true, "https")).toBe(true);
    expect(servedOverHttps(true, "https, http")).toBe(true);
    expect(servedOverHttps(true, "http")).toBe(false);
    expect(servedOverHttps(true, null)).toBe(false);
    // Without trusted proxies a client could claim anything.
    expect(servedOverHttps(false, "https")).toBe(false);
  });
});
