import { defineConfig, devices } from "@playwright/test";
import os from "node:os";
import path from "node:path";

const PORT = Number(process.env.E2E_PORT ?? 3210);
export const E2E_DATA_DIR = process.env.E2E_DATA_DIR ?? path.join(os.tmpdir(), `seedance-e2e-${PORT}`);

// Debian's Chromium: Playwright's own browser download cannot work on these machines, and
// without the background-networking flags Chromium keeps dialling hosts this network refuses.
const chromium = {
  executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
  args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage"],
};

// Playwright's request fixture pools keep-alive sockets and ignores the server's
// "Keep-Alive: timeout=5" hint, so a request sent after an idle gap of about five seconds can
// land on a socket Node is closing, and fails with ECONNRESET (microsoft/playwright#42698; it
// failed CI once in the storyboard flow). Each test has its own request context, so a server
// that keeps idle sockets longer than the longest test never closes one a test may reuse.
const LONGEST_TEST_MS = 180_000;
export const nextStartCommand = (port: number, dataDir: string) =>
  `rm -rf ${dataDir} && npx next start -p ${port} -H 127.0.0.1 --keepAliveTimeout ${LONGEST_TEST_MS + 30_000}`;

export default defineConfig({
  testDir: "tests/e2e",
  // The sign-in gate has its own server (STUDIO_PASSWORD set): playwright.security.config.ts.
  testIgnore: ["**/security.spec.ts"],
  outputDir: "tests/artifacts/results",
  timeout: 90_000,
  expect: { timeout: 30_000 },
  fullyParallel: false,
  workers: 1,
  retries: 0,
  reporter: [["list"], ["html", { outputFolder: "tests/artifacts/report", open: "never" }]],
  use: {
    baseURL: `http://127.0.0.1:${PORT}`,
    trace: "retain-on-failure",
    screenshot: "only-on-failure",
    launchOptions: chromium,
  },
  projects: [
    { name: "desktop", use: { ...devices["Desktop Chrome"], launchOptions: chromium } },
  ],
  webServer: {
    command: nextStartCommand(PORT, E2E_DATA_DIR),
    url: `http://127.0.0.1:${PORT}/api/health`,
    timeout: 120_000,
    reuseExistingServer: false,
    stdout: "pipe",
    env: {
      PORT: String(PORT),
      DATA_DIR: E2E_DATA_DIR,
      SIMULATOR_DELAY_MS: "1500",
      POLL_INTERVAL_MS: "1000",
      SEEDANCE_API_TOKEN: "",
      // The simulator has no public token: tests/e2e/fixtures.ts reads upstream requests with this one.
      SIMULATOR_TOKEN: "e2e-simulator-token",
      DATABASE_URL: "",
      NEXT_DIST_DIR: process.env.NEXT_DIST_DIR ?? "",
      // The product flows here create clips faster than a creator would; the limits have their
      // own suite (playwright.security.config.ts).
      RATE_LIMIT_PER_MINUTE: "0",
      MAX_UNFINISHED_TASKS: "0",
    },
  },
});
