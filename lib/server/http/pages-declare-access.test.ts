/**
 * Every page under app/ is built by a page wrapper (lib/server/http/page.ts) that declares what it
 * needs, so none renders data before it authorised. Static: pages import React components that only
 * Next compiles, so the check reads the source.
 */
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";

const ROOT = path.resolve(import.meta.dirname, "../../..");
const WRAPPED = /^export default (projectPage|resourcePage|userPage|adminPage|publicPage)\b/m;

function pageFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return pageFiles(full);
    return entry.name === "page.tsx" ? [full] : [];
  });
}

const files = pageFiles(path.join(ROOT, "app")).map((file) => path.relative(ROOT, file));

describe("app pages", () => {
  it("finds the pages", () => {
    expect(files.length).toBeGreaterThan(20);
  });

  it.each(files)("%s is built with a page wrapper", (file) => {
    const source = readFileSync(path.join(ROOT, file), "utf8");
    expect(source, "export default projectPage(…)/resourcePage/userPage/adminPage/publicPage").toMatch(WRAPPED);
    expect(source.match(/^export default /gm)).toHaveLength(1);
  });
});
