#!/usr/bin/env node
/**
 * `npm test`: the whole suite on the lane's database (PHALANX_TEST_DB=sqlite by default, or postgresql
 * with DATABASE_URL for the app under test): the static checks (types, lint, formatting), schema/migration
 * agreement, unit and integration tests (vitest, real database), then end-to-end tests (Playwright, Chromium,
 * the built app: Debian's /usr/bin/chromium when present, else Playwright's own, installed here when missing).
 * Ends with one summary line: "N passed, N failed, N skipped".
 */
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, rmSync } from "node:fs";

const lane = process.env.PHALANX_TEST_DB === "postgresql" ? "postgresql" : "sqlite";
const env = { ...process.env, NEXT_TELEMETRY_DISABLED: "1" };
const run = (command, args) => spawnSync(command, args, { stdio: "inherit", env }).status ?? 1;

// Each static check counts as one failure when it fails; the suite still runs so one report shows everything.
const statics = {
  typecheck: run("npm", ["run", "--silent", "typecheck"]),
  lint: run("npm", ["run", "--silent", "lint"]),
  format: run("npm", ["run", "--silent", "format:check"]),
  "db:check": run("npm", ["run", "--silent", "db:check"]),
};

// A machine without Debian's Chromium (and with internet) gets Playwright's own browser once.
if (!existsSync("/usr/bin/chromium")) run("npx", ["playwright", "install", "chromium"]);

mkdirSync(".vitest", { recursive: true });
rmSync(".vitest/report.json", { force: true });
run("npx", ["vitest", "run", "--reporter=default", "--reporter=json", "--outputFile=.vitest/report.json"]);
const unit = { passed: 0, failed: 0, skipped: 0 };
// Names of what failed, repeated at the very end: CI keeps only the tail of a long log.
const failures = [];
if (existsSync(".vitest/report.json")) {
  const report = JSON.parse(readFileSync(".vitest/report.json", "utf8"));
  unit.passed = report.numPassedTests;
  // A failed test counts once; a file that failed outside any test (import, hook) counts once too.
  unit.failed = report.numFailedTests;
  unit.skipped = report.numPendingTests + report.numTodoTests;
  for (const file of report.testResults ?? []) {
    const where = file.name.replace(`${process.cwd()}/`, "");
    const failedTests = (file.assertionResults ?? []).filter((test) => test.status === "failed");
    for (const test of failedTests) failures.push(`unit ${where} › ${test.fullName}`);
    if (file.status === "failed" && failedTests.length === 0) {
      unit.failed += 1;
      failures.push(`unit ${where}: ${String(file.message ?? "suite failed").split("\n")[0]}`);
    }
  }
} else unit.failed = 1;

rmSync(".e2e/report.json", { force: true });
run("npx", ["playwright", "test"]);
const e2e = { passed: 0, failed: 0, skipped: 0 };
if (existsSync(".e2e/report.json")) {
  const report = JSON.parse(readFileSync(".e2e/report.json", "utf8"));
  const { stats, errors } = report;
  e2e.passed = stats.expected;
  e2e.failed = stats.unexpected + stats.flaky + (errors?.length ?? 0);
  e2e.skipped = stats.skipped;
  const walk = (suite, titles) => {
    for (const spec of suite.specs ?? [])
      if (!spec.ok) failures.push(`e2e ${spec.file}:${spec.line} › ${[...titles, spec.title].join(" › ")}`);
    for (const child of suite.suites ?? [])
      walk(child, suite.title && !suite.title.endsWith(".ts") ? [...titles, suite.title] : titles);
  };
  for (const suite of report.suites ?? []) walk(suite, []);
  for (const error of errors ?? []) failures.push(`e2e error: ${String(error.message ?? "").split("\n")[0]}`);
} else e2e.failed = 1;

const line = (name, r) => console.log(`${name}: ${r.passed} passed, ${r.failed} failed, ${r.skipped} skipped`);
console.log("");
for (const [name, status] of Object.entries(statics))
  console.log(`[${lane}] ${name} ${status === 0 ? "ok" : "FAILED"}`);
line(`[${lane}] unit+integration`, unit);
line(`[${lane}] e2e`, e2e);
for (const failure of failures) console.log(`[${lane}] FAILED ${failure}`);
const total = {
  passed: unit.passed + e2e.passed,
  failed: unit.failed + e2e.failed + Object.values(statics).filter((status) => status !== 0).length,
  skipped: unit.skipped + e2e.skipped,
};
console.log(`${total.passed} passed, ${total.failed} failed, ${total.skipped} skipped`);
process.exit(total.failed === 0 && total.passed > 0 ? 0 : 1);
