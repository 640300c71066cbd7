/** Routes and pages reach the database only through services in lib/server: no file under app/ imports the client. */
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { expect, it } from "vitest";

const ROOT = path.resolve(import.meta.dirname, "../../..");
const DB_IMPORT = /from\s+["'](@\/lib\/server\/db(\/[^"']*)?|@prisma\/client[^"']*|[^"']*\/generated\/[^"']*)["']/;

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(full);
    return /\.(ts|tsx)$/.test(entry.name) ? [full] : [];
  });
}

it("no file under app/ imports the database client", () => {
  const files = sourceFiles(path.join(ROOT, "app"));
  expect(files.length).toBeGreaterThan(50);
  const offenders = files
    .filter((file) => DB_IMPORT.test(readFileSync(file, "utf8")))
    .map((file) => path.relative(ROOT, file));
  expect(offenders).toEqual([]);
});
