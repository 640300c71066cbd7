/**
 * Every route handler under app/ is built by an access wrapper (lib/server/http/api-route.ts), so none
 * can be added that forgets to declare who may call it. Imports each route module as Next would.
 */
import { readdirSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { routeAccessOf } from "./api-route";

const ROOT = path.resolve(import.meta.dirname, "../../..");
const HTTP_METHODS = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"];

function routeFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return routeFiles(full);
    return /^route\.(ts|tsx|js)$/.test(entry.name) ? [full] : [];
  });
}

const files = routeFiles(path.join(ROOT, "app")).map((file) => path.relative(ROOT, file));

describe("app route handlers", () => {
  it("finds the route files", () => {
    expect(files.length).toBeGreaterThan(40);
  });

  it.each(files)("%s: every exported handler declares its access", async (file) => {
    const routeModule: Record<string, unknown> = await import(path.join(ROOT, file));
    const handlers = Object.keys(routeModule).filter((name) => HTTP_METHODS.includes(name));
    expect(handlers.length, "exports no handler").toBeGreaterThan(0);
    for (const name of handlers) {
      const access = routeAccessOf(routeModule[name]);
      expect(
        access,
        `${name} is not built with projectRoute/resourceRoute/userRoute/adminRoute/publicRoute`,
      ).toBeDefined();
      if (access?.kind === "public")
        expect(access.reason.length, `${name}: a public route says why`).toBeGreaterThan(10);
    }
  });
});
