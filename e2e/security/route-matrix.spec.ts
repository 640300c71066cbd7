import { readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { expect, test, type APIRequestContext } from "@playwright/test";
import { PEOPLE } from "../fixtures/people";
import { apiSignIn, fixtures } from "../fixtures/session";

/**
 * The authorisation matrix's HTTP lane, generated from the route tree: every API route file × method, asked
 * over real HTTP (session cookie, proxy, request guard) by an anonymous visitor (401) and by a signed-in
 * outsider about project A's ids (404). The full matrix — every role × own/peer/other project, and every
 * page — runs against the handlers in lib/server/http/route-matrix.test.ts; this lane checks that the
 * real session path agrees. A route that answers otherwise must be listed here, with why.
 */
const API = path.resolve("app/api");
const METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE"] as const;

function routeFiles(dir = API): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    return statSync(full).isDirectory() ? routeFiles(full) : name === "route.ts" ? [full] : [];
  });
}

function methodsOf(file: string): (typeof METHODS)[number][] {
  const source = readFileSync(file, "utf8");
  const exported = new Set<string>();
  for (const match of source.matchAll(/export const (GET|POST|PUT|PATCH|DELETE)\b/g)) exported.add(match[1]);
  for (const match of source.matchAll(/export \{([^}]+)\}/g))
    for (const name of match[1].split(",")) exported.add(name.trim());
  for (const match of source.matchAll(/export const \{([^}]+)\}/g))
    for (const name of match[1].split(",")) exported.add(name.trim());
  return METHODS.filter((method) => exported.has(method));
}

/** "/api/projects/[projectId]/subjects/[subjectId]" for a route file. */
const templateOf = (file: string) =>
  "/" + path.relative(path.resolve("app"), path.dirname(file)).split(path.sep).join("/");

/** Routes that are public by design, and what they answer an anonymous visitor. */
const PUBLIC: Record<string, Partial<Record<(typeof METHODS)[number], number>>> = {
  "/api/session": { POST: 400, DELETE: 200 }, // sign-in ({} is invalid input) and sign-out
  "/api/v1/openapi.json": { GET: 200 },
  "/api/health": { GET: 200 }, // liveness for load balancers; names no data
};
const SKIPPED = new Set(["/api/auth/[...nextauth]"]); // Auth.js's own endpoints (sessions.spec, csrf.spec)
/** Known deviations, each with its reason; anything not listed must answer 401 / 404. */
const OUTSIDER_EXCEPTIONS: Record<string, number> = {
  "PATCH /api/users/[userId]": 403, // not project-scoped: administrators only
};

function fill(template: string, projectId: string) {
  return template
    .replace("[projectId]", projectId)
    .replace("[variant]", "thumb")
    .replace(/\[[^\]]+\]/g, "no-such-id");
}

async function ask(api: APIRequestContext, method: string, url: string) {
  const options = method === "GET" || method === "DELETE" ? {} : { data: {} };
  return api.fetch(url, { method, ...options, maxRedirects: 0 });
}

test("every API route answers an anonymous visitor 401, and an outsider 404 for another project's ids", async ({
  playwright,
  baseURL,
}) => {
  test.setTimeout(180_000);
  const { projectA } = fixtures();
  const files = routeFiles();
  expect(files.length).toBeGreaterThan(30);
  const anonymous = await playwright.request.newContext({ baseURL });
  const outsider = await playwright.request.newContext({ baseURL });
  await apiSignIn(outsider, PEOPLE.outsider);
  const problems: string[] = [];
  for (const file of files) {
    const template = templateOf(file);
    if (SKIPPED.has(template)) continue;
    const methods = methodsOf(file);
    expect(methods.length, `${template} exports no handler`).toBeGreaterThan(0);
    for (const method of methods) {
      const url = fill(template, projectA);
      const expectedAnonymous = PUBLIC[template]?.[method] ?? 401;
      const anonymousStatus = (await ask(anonymous, method, url)).status();
      if (anonymousStatus !== expectedAnonymous)
        problems.push(`anonymous ${method} ${template}: ${anonymousStatus}, expected ${expectedAnonymous}`);
      if (PUBLIC[template] || !template.includes("[")) continue;
      const outsiderStatus = (await ask(outsider, method, url)).status();
      const expectedOutsider = OUTSIDER_EXCEPTIONS[`${method} ${template}`] ?? 404;
      if (outsiderStatus !== expectedOutsider)
        problems.push(`outsider ${method} ${template}: ${outsiderStatus}, expected ${expectedOutsider}`);
    }
  }
  expect(problems).toEqual([]);
  await Promise.all([anonymous.dispose(), outsider.dispose()]);
});
