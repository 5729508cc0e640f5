import { defineConfig } from "@playwright/test";
import os from "node:os";
import path from "node:path";
import base, { nextStartCommand } from "./playwright.config";

// The security suite: the same browser and build, but a server with STUDIO_PASSWORD set and
// tight creation limits, so the main suite keeps running ungated.
// Run: npx playwright test -c playwright.security.config.ts (E2E_PORT and NEXT_DIST_DIR as for the main suite).
const PORT = Number(process.env.E2E_PORT ?? 3230);
const DATA_DIR = process.env.E2E_DATA_DIR ?? path.join(os.tmpdir(), `seedance-e2e-security-${PORT}`);
export const SECURITY_PASSWORD = "e2e-studio-password-9c41f2";
export const SECURITY_RATE_PER_MINUTE = 4;

export default defineConfig({
  ...base,
  testIgnore: [],
  testMatch: "security.spec.ts",
  outputDir: "tests/artifacts/security-results",
  reporter: [["list"], ["html", { outputFolder: "tests/artifacts/security-report", open: "never" }]],
  use: { ...base.use, baseURL: `http://127.0.0.1:${PORT}` },
  webServer: {
    command: nextStartCommand(PORT, DATA_DIR),
    url: `http://127.0.0.1:${PORT}/api/health`,
    timeout: 120_000,
    reuseExistingServer: false,
    stdout: "pipe",
    env: {
      PORT: String(PORT),
      DATA_DIR,
      SIMULATOR_DELAY_MS: "1500",
      POLL_INTERVAL_MS: "1000",
      SEEDANCE_API_TOKEN: "",
      DATABASE_URL: "",
      NEXT_DIST_DIR: process.env.NEXT_DIST_DIR ?? "",
      STUDIO_PASSWORD: SECURITY_PASSWORD,
      SESSION_SECRET: "",
      RATE_LIMIT_PER_MINUTE: String(SECURITY_RATE_PER_MINUTE),
    },
  },
});
