import { defineConfig } from "@playwright/test";
import { existsSync, mkdirSync, rmSync } from "node:fs";
import path from "node:path";

/**
 * End-to-end tests drive the built app in Chromium: Debian's /usr/bin/chromium when present, else
 * Playwright's own browser. The server is started the way users start it (`node scripts/start.mjs`)
 * on a fresh data folder, against the lane's database (DATABASE_URL set by .ci/run for PostgreSQL).
 */
const port = Number(process.env.E2E_PORT ?? 3100);
const dataDir = path.resolve(".e2e/data");
// Only the main process prepares the folder: workers load this file too.
if (!process.env.TEST_WORKER_INDEX) {
  rmSync(dataDir, { recursive: true, force: true });
  mkdirSync(dataDir, { recursive: true });
}

export const E2E_ADMIN = { email: "admin@e2e.test", password: "e2e-admin-password-1" };
const chromium = "/usr/bin/chromium";

export default defineConfig({
  testDir: "e2e",
  fullyParallel: false,
  workers: 1,
  forbidOnly: !!process.env.CI,
  retries: 0,
  timeout: 60_000,
  outputDir: ".e2e/results",
  reporter: [["list"], ["json", { outputFile: ".e2e/report.json" }]],
  globalSetup: "./e2e/global-setup.ts",
  use: {
    baseURL: `http://localhost:${port}`,
    trace: "retain-on-failure",
    contextOptions: { reducedMotion: "reduce" },
    launchOptions: {
      executablePath: existsSync(chromium) ? chromium : undefined,
      args: [
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--disable-dev-shm-usage",
      ],
    },
  },
  webServer: {
    command: "node scripts/start.mjs",
    url: `http://localhost:${port}/login`,
    // The first start builds the app (next build): a few minutes on a busy 2-core machine.
    timeout: 600_000,
    reuseExistingServer: false,
    stdout: "pipe",
    env: {
      PORT: String(port),
      PHALANX_DATA_DIR: dataDir,
      PHALANX_ADMIN_EMAIL: E2E_ADMIN.email,
      PHALANX_ADMIN_PASSWORD: E2E_ADMIN.password,
      PHALANX_DEMO: "1",
      // Small enough that the "over the byte limit" case needs only a modest test file.
      PHALANX_MAX_UPLOAD_BYTES: String(8 * 1024 * 1024),
      ...(process.env.DATABASE_URL ? { DATABASE_URL: process.env.DATABASE_URL } : {}),
      ...(process.env.AUTH_SECRET ? { AUTH_SECRET: process.env.AUTH_SECRET } : {}),
    },
  },
});
