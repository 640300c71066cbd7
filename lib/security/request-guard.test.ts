import { describe, expect, it } from "vitest";
import { guardApiRequest, type TRequestFacts } from "./request-guard";

const base: TRequestFacts = {
  method: "POST",
  pathname: "/api/projects/p1/subjects",
  host: "phalanx.example:3000",
  origin: "http://phalanx.example:3000",
  secFetchSite: "same-origin",
  contentType: "application/json",
  hasBody: true,
  authorization: null,
};
const decide = (change: Partial<TRequestFacts>) => guardApiRequest({ ...base, ...change });
const status = (change: Partial<TRequestFacts>) => {
  const decision = decide(change);
  return decision.allow ? 200 : decision.status;
};

describe("guardApiRequest: cross-site request forgery", () => {
  it("lets the app's own pages change things", () => {
    expect(decide({})).toEqual({ allow: true });
  });

  it("refuses another origin, even on the same site, and the opaque 'null' origin", () => {
    expect(status({ origin: "http://evil.example:3000", secFetchSite: "cross-site" })).toBe(403);
    expect(status({ origin: "http://other.phalanx.example:3000", secFetchSite: "same-site" })).toBe(403);
    expect(status({ origin: "http://phalanx.example:4000", secFetchSite: "same-site" })).toBe(403);
    expect(status({ origin: "null", secFetchSite: "cross-site" })).toBe(403);
    expect(status({ origin: "not a url" })).toBe(403);
  });

  it("refuses every state-changing method from elsewhere, but no safe one", () => {
    for (const method of ["POST", "PUT", "PATCH", "DELETE", "delete"])
      expect(status({ method, origin: "https://evil.example" })).toBe(403);
    for (const method of ["GET", "HEAD", "OPTIONS"])
      expect(status({ method, origin: "https://evil.example" })).toBe(200);
  });

  it("without Origin, trusts Sec-Fetch-Site: only same-origin passes", () => {
    expect(status({ origin: null, secFetchSite: "same-origin" })).toBe(200);
    expect(status({ origin: null, secFetchSite: "same-site" })).toBe(403);
    expect(status({ origin: null, secFetchSite: "cross-site" })).toBe(403);
    expect(status({ origin: null, secFetchSite: "none" })).toBe(403);
  });

  it("lets non-browser clients (neither header) through: they carry no one else's cookie", () => {
    expect(status({ origin: null, secFetchSite: null })).toBe(200);
  });

  it("closes login CSRF: sign-in and Auth.js's own form posts need the app's origin too", () => {
    expect(status({ pathname: "/api/session", origin: "https://evil.example" })).toBe(403);
    expect(
      status({
        pathname: "/api/auth/callback/credentials",
        contentType: "application/x-www-form-urlencoded",
        origin: "https://evil.example",
      }),
    ).toBe(403);
    expect(
      status({ pathname: "/api/auth/callback/credentials", contentType: "application/x-www-form-urlencoded" }),
    ).toBe(200);
  });

  it("does not apply to bearer-token requests (a foreign page cannot send that header)", () => {
    expect(status({ authorization: "Bearer phx_abc", origin: "https://evil.example" })).toBe(200);
  });

  it("compares hosts case-insensitively and ignores paths in Origin", () => {
    expect(status({ origin: "http://PHALANX.example:3000" })).toBe(200);
  });

  it("leaves pages and other non-API paths alone", () => {
    expect(status({ pathname: "/projects", origin: "https://evil.example" })).toBe(200);
  });
});

describe("guardApiRequest: content type", () => {
  it("answers 415 to a JSON endpoint sent text/plain or a form encoding (the cross-site 'simple request' types)", () => {
    for (const contentType of [
      "text/plain",
      "text/plain;charset=UTF-8",
      "application/x-www-form-urlencoded",
      "multipart/form-data; boundary=x",
      null,
    ]) {
      expect(status({ contentType })).toBe(415);
    }
  });

  it("accepts application/json with parameters, and bodiless requests with no type", () => {
    expect(status({ contentType: "application/json; charset=utf-8" })).toBe(200);
    expect(status({ contentType: "Application/JSON" })).toBe(200);
    expect(status({ method: "DELETE", contentType: null, hasBody: false })).toBe(200);
  });

  it("keeps multipart for the upload endpoints only", () => {
    const multipart = "multipart/form-data; boundary=----x";
    for (const pathname of [
      "/api/projects/p1/images",
      "/api/v1/projects/p1/images",
      "/api/projects/p1/imports",
      "/api/projects/p1/subjects/s1/consent",
      "/api/v1/projects/p1/subjects/s1/consent",
    ]) {
      expect(status({ pathname, contentType: multipart })).toBe(200);
      expect(status({ pathname, contentType: "text/plain" })).toBe(415);
    }
    expect(status({ pathname: "/api/projects/p1/members", contentType: multipart })).toBe(415);
  });

  it("applies to bearer-token requests too", () => {
    expect(
      status({ authorization: "Bearer phx_abc", contentType: "text/plain", origin: null, secFetchSite: null }),
    ).toBe(415);
  });
});

describe("guardApiRequest: API tokens and the account", () => {
  it("an API token may not read or change anything under /api/account (no token minting tokens)", () => {
    for (const method of ["GET", "POST", "DELETE"]) {
      for (const pathname of [
        "/api/account/tokens",
        "/api/account/tokens/t1",
        "/api/account/password",
        "/api/account/sessions",
      ]) {
        expect(status({ method, pathname, authorization: "Bearer phx_abc", origin: null, secFetchSite: null })).toBe(
          403,
        );
      }
    }
  });

  it("a session may", () => {
    expect(status({ pathname: "/api/account/tokens" })).toBe(200);
  });
});
