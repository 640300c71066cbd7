import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { expect, test } from "@playwright/test";
import type { TProjectRole } from "../../lib/auth/permissions";
import { expectedOutcome, outcomeOfStatus, type TDeclaredAccess } from "../../lib/auth/route-expectation";
import { PEOPLE } from "../fixtures/people";
import { apiSignIn, fixtures } from "../fixtures/session";

/**
 * The page lane of the authorisation matrix over real HTTP (session cookies, proxy, Next's 403/404 pages):
 * every app page × anonymous and the fixture people × project A and B. Each page's declared access is read
 * from its wrapper call (pages cannot be imported here); lib/server/http/route-matrix.test.ts checks the
 * same pages against their wrappers' real declarations. The roles come from the projects' member lists.
 */
const APP = path.resolve("app");
const UNSEEDED = "no-such-id";
const DECLARED =
  /^export default (projectPage|resourcePage|userPage|adminPage|publicPage)[^(]*\(\s*(?:\{\s*permission:\s*"([a-z.]+)"|([a-zA-Z]+))?/m;
const GUARD_NAMES: Record<string, string> = {
  ownAnnotation: "own-annotation",
  ownReview: "own-review",
  projectImage: "project-image",
};

function pageFiles(dir = APP): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return pageFiles(full);
    return entry.name === "page.tsx" ? [full] : [];
  });
}

function declaredAccess(file: string): TDeclaredAccess {
  const match = readFileSync(file, "utf8").match(DECLARED);
  expect(match, `${file} is not built with a page wrapper`).toBeTruthy();
  const [, wrapper, permission, guard] = match!;
  if (wrapper === "projectPage") return { kind: "project", permission: permission as never };
  if (wrapper === "resourcePage") return { kind: "resource", guard: GUARD_NAMES[guard] ?? guard };
  return { kind: wrapper.replace("Page", "") as "user" | "admin" | "public" };
}

test("every page answers each caller as its declared access says, over HTTP", async ({ playwright, baseURL }) => {
  test.setTimeout(240_000);
  const { projectA, projectB } = fixtures();
  const files = pageFiles();
  expect(files.length).toBeGreaterThan(20);
  const admin = await playwright.request.newContext({ baseURL });
  await apiSignIn(admin, PEOPLE.admin);
  const rolesIn: Record<string, Record<string, TProjectRole[]>> = {};
  for (const projectId of [projectA, projectB]) {
    const { members } = await (await admin.get(`/api/projects/${projectId}/members`)).json();
    rolesIn[projectId] = Object.fromEntries(
      members.map((member: { email: string; roles: TProjectRole[] }) => [member.email, member.roles]),
    );
  }
  const callers = [
    { name: "anonymous", person: null },
    ...(["admin", "manager", "reviewer", "annotator", "outsider"] as const).map((name) => ({
      name,
      person: PEOPLE[name],
    })),
  ];
  const problems: string[] = [];
  let cells = 0;
  for (const caller of callers) {
    const api = caller.name === "admin" ? admin : await playwright.request.newContext({ baseURL });
    if (caller.person && caller.name !== "admin") await apiSignIn(api, caller.person);
    for (const file of files) {
      const access = declaredAccess(file);
      const template =
        "/" +
        path
          .relative(APP, path.dirname(file))
          .split(path.sep)
          .filter((part) => !part.startsWith("("))
          .join("/");
      for (const projectId of [projectA, projectB]) {
        if (!template.includes("[") && projectId === projectB) continue; // the same page twice
        const roles = caller.person ? (rolesIn[projectId][caller.person.email] ?? []) : [];
        const expected = expectedOutcome(
          access,
          caller.person ? { signedIn: true, isAdmin: caller.name === "admin" } : { signedIn: false },
          { roles, ownsResource: false },
        );
        const url = template.replace("[projectId]", projectId).replace(/\[[^\]]+\]/g, UNSEEDED);
        const response = await api.get(url, { maxRedirects: 0 });
        const location = response.headers()["location"] ?? "";
        let actual =
          response.status() >= 300 && response.status() < 400 && /^(https?:\/\/[^/]+)?\/login\b/.test(location)
            ? 401
            : outcomeOfStatus(response.status());
        if (expected === "allowed" && actual === 404 && url.includes(UNSEEDED)) actual = "allowed";
        if (actual !== expected)
          problems.push(
            `${caller.name} GET ${url} (${template}): ${response.status()} ${location}, expected ${expected}`,
          );
        cells++;
      }
    }
    if (api !== admin) await api.dispose();
  }
  console.log(`page matrix over HTTP: ${files.length} pages, ${cells} cells`);
  expect(problems).toEqual([]);
  await admin.dispose();
});
