/** Helpers for the adversarial suite (e2e/security): fresh people, copied cookies, a foreign origin. */
import { createServer, type Server } from "node:http";
import { randomBytes } from "node:crypto";
import { expect, request as playwrightRequest, type APIRequestContext } from "@playwright/test";
import { PEOPLE } from "../fixtures/people";
import { apiSignIn } from "../fixtures/session";

export const PASSWORD = "adversarial-password-1";
export const unique = () => randomBytes(4).toString("hex");

/** A signed-in administrator's API context. */
export async function adminApi(baseURL: string): Promise<APIRequestContext> {
  const api = await playwrightRequest.newContext({ baseURL });
  await apiSignIn(api, PEOPLE.admin);
  return api;
}

/** A new person made by the administrator, so probes that lock or revoke things never touch the shared people. */
export async function newPerson(admin: APIRequestContext, tag: string) {
  const email = `${tag}-${unique()}@e2e.test`;
  const response = await admin.post("/api/users", { data: { email, name: `Probe ${tag}`, password: PASSWORD } });
  expect(response.status(), await response.text()).toBe(201);
  const { user } = await response.json();
  return { id: user.id as string, email, password: PASSWORD, name: `Probe ${tag}` };
}

/** A fresh API context signed in as `person`. */
export async function signedIn(
  baseURL: string,
  person: { email: string; password: string },
): Promise<APIRequestContext> {
  const api = await playwrightRequest.newContext({ baseURL });
  await apiSignIn(api, person as never);
  return api;
}

/** The session cookie of a context, as a `cookie` header an attacker who copied it would send. */
export async function cookieHeader(api: APIRequestContext): Promise<string> {
  const { cookies } = await api.storageState();
  const session = cookies.filter((cookie) => cookie.name.includes("session-token"));
  expect(session.length, "a session cookie").toBeGreaterThan(0);
  return session.map((cookie) => `${cookie.name}=${cookie.value}`).join("; ");
}

/** What /api/projects answers to a bare request carrying only this cookie (a copy in another browser). */
export async function statusWithCookie(baseURL: string, cookie: string): Promise<number> {
  const api = await playwrightRequest.newContext({ baseURL });
  const status = (await api.get("/api/projects", { headers: { cookie } })).status();
  await api.dispose();
  return status;
}

export async function statusWithToken(baseURL: string, token: string): Promise<number> {
  const api = await playwrightRequest.newContext({ baseURL });
  const status = (await api.get("/api/v1/projects", { headers: { authorization: `Bearer ${token}` } })).status();
  await api.dispose();
  return status;
}

/**
 * An attacker's page on another origin of the same site (another port of localhost: same site, so the
 * browser sends the SameSite=Lax session cookie along). It serves `html` at /.
 */
export async function foreignOrigin(port: number, html: string): Promise<{ url: string; close: () => Promise<void> }> {
  const server: Server = createServer((_request, response) => {
    response.writeHead(200, { "content-type": "text/html" });
    response.end(html);
  });
  await new Promise<void>((resolve) => server.listen(port, resolve));
  return { url: `http://localhost:${port}/`, close: () => new Promise((resolve) => server.close(() => resolve())) };
}
