#!/usr/bin/env node
/**
 * `npm test`: the whole suite on the lane's database (PHALANX_TEST_DB=sqlite by default, or postgresql
 * with DATABASE_URL for the app under test): the type check, schema/migration agreement, unit and integration tests
 * (vitest, real database), then end-to-end tests (Playwright, Chromium, the built app).
 * Ends with one summary line: "N passed, N failed, N skipped".
 */
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, rmSync } from "node:fs";

const lane = process.env.PHALANX_TEST_DB === "postgresql" ? "postgresql" : "sqlite";
const env = { ...process.env, NEXT_TELEMETRY_DISABLED: "1" };
const run = (command, args) => spawnSync(command, args, { stdio: "inherit", env }).status ?? 1;

const typecheck = run("npm", ["run", "--silent", "typecheck"]);
const check = run("npm", ["run", "--silent", "db:check"]);

mkdirSync(".vitest", { recursive: true });
rmSync(".vitest/report.json", { force: true });
run("npx", ["vitest", "run", "--reporter=default", "--reporter=json", "--outputFile=.vitest/report.json"]);
const unit = { passed: 0, failed: 0, skipped: 0 };
if (existsSync(".vitest/report.json")) {
  const report = JSON.parse(readFileSync(".vitest/report.json", "utf8"));
  unit.passed = report.numPassedTests;
  unit.failed = report.numFailedTests + (report.numFailedTestSuites ?? 0);
  unit.skipped = report.numPendingTests + report.numTodoTests;
} else unit.failed = 1;

rmSync(".e2e/report.json", { force: true });
run("npx", ["playwright", "test"]);
const e2e = { passed: 0, failed: 0, skipped: 0 };
if (existsSync(".e2e/report.json")) {
  const { stats, errors } = JSON.parse(readFileSync(".e2e/report.json", "utf8"));
  e2e.passed = stats.expected;
  e2e.failed = stats.unexpected + stats.flaky + (errors?.length ?? 0);
  e2e.skipped = stats.skipped;
} else e2e.failed = 1;

const line = (name, r) => console.log(`${name}: ${r.passed} passed, ${r.failed} failed, ${r.skipped} skipped`);
console.log(`\n[${lane}] typecheck ${typecheck === 0 ? "ok" : "FAILED"}`);
console.log(`[${lane}] db:check ${check === 0 ? "ok" : "FAILED"}`);
line(`[${lane}] unit+integration`, unit);
line(`[${lane}] e2e`, e2e);
const total = { passed: unit.passed + e2e.passed, failed: unit.failed + e2e.failed + (typecheck === 0 ? 0 : 1) + (check === 0 ? 0 : 1), skipped: unit.skipped + e2e.skipped };
console.log(`${total.passed} passed, ${total.failed} failed, ${total.skipped} skipped`);
process.exit(total.failed === 0 && total.passed > 0 ? 0 : 1);
