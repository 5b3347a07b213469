// Browser tests of the Casedesk SPA, run against the real server (release build) on loopback.
//
//   npm run e2e                     (after scripts/build-frontend.sh and cargo build --release -p app)
//
// Uses Debian's Chromium (/usr/bin/chromium, or $CHROMIUM); never `npx playwright install`.
// Environment: E2E_PORT (default 38473), E2E_SERVER_CMD (default
// "${CARGO_TARGET_DIR:-target}/release/casedesk serve"), CARGO_TARGET_DIR (test output goes to
// $CARGO_TARGET_DIR/e2e-results, else /tmp/casedesk-e2e-results; never into the repository),
// CASEDESK_TEST_ENTRA_URL (the Entra ID stand-in, default http://127.0.0.1:18081),
// CASEDESK_TEST_CLAMD (the virus scanner, default 127.0.0.1:13310).
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { defineConfig } from "@playwright/test";
import { ADMIN_EMAIL, ADMIN_PASSWORD } from "./accounts";

const repoRoot = path.resolve(__dirname, "..");
const port = Number(process.env.E2E_PORT || 38473);
const targetDir = process.env.CARGO_TARGET_DIR ? path.resolve(repoRoot, process.env.CARGO_TARGET_DIR) : undefined;
const entraUrl = process.env.CASEDESK_TEST_ENTRA_URL || "http://127.0.0.1:18081";
const serverCmd = process.env.E2E_SERVER_CMD || `${process.env.CARGO_TARGET_DIR || "target"}/release/casedesk serve`;

// A fresh, empty data directory per run. Playwright re-reads this file in its worker
// processes; they inherit the variable, so every process agrees on one directory, and only
// the process that made it (the runner, which outlives the server) removes it on exit.
if (!process.env.CASEDESK_E2E_DATA_DIR) {
  const dataDir = mkdtempSync(path.join(tmpdir(), "casedesk-e2e-"));
  process.env.CASEDESK_E2E_DATA_DIR = dataDir;
  process.on("exit", () => rmSync(dataDir, { recursive: true, force: true }));
}

export default defineConfig({
  testDir: "tests",
  outputDir: targetDir ? path.join(targetDir, "e2e-results") : "/tmp/casedesk-e2e-results",
  timeout: 30_000,
  expect: { timeout: 10_000 },
  workers: 1,
  fullyParallel: false,
  retries: 0,
  forbidOnly: true,
  reporter: [["list"]],
  use: {
    // localhost, not 127.0.0.1: the session cookie is Secure with the __Host- prefix, and
    // browsers accept Secure cookies over plain http only from localhost.
    baseURL: `http://localhost:${port}`,
    browserName: "chromium",
    launchOptions: {
      executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
      args: [
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
      ],
    },
    screenshot: "only-on-failure",
    trace: "retain-on-failure",
  },
  webServer: {
    command: serverCmd,
    cwd: repoRoot,
    url: `http://127.0.0.1:${port}/healthz`,
    reuseExistingServer: false,
    timeout: 60_000,
    stdout: "pipe",
    stderr: "pipe",
    env: {
      CASEDESK_BIND: `127.0.0.1:${port}`,
      CASEDESK_DATA_DIR: process.env.CASEDESK_E2E_DATA_DIR,
      CASEDESK_ADMIN_EMAIL: ADMIN_EMAIL,
      CASEDESK_ADMIN_PASSWORD: ADMIN_PASSWORD,
      RUST_LOG: "warn",
      // The suite signs in far more often than anyone at one address would (the default is 30
      // a minute); the limit itself is tested in the API tests.
      CASEDESK_RATE_LIMIT_SIGN_IN: "0",
      // Service-level alerts every 2 s rather than 30 s, so a test sees one turn up promptly.
      CASEDESK_SLA_ALERT_SECONDS: "2",
      // Entra ID and Graph are the stand-in the test command starts (scripts/entra-mock.mjs).
      CASEDESK_ENTRA_AUTHORITY: entraUrl,
      CASEDESK_GRAPH_BASE_URL: `${entraUrl}/graph`,
      // Uploads are checked by the clamd the test command starts (ensure_clamd in scripts/lib.sh).
      CASEDESK_CLAMD_ADDRESS: process.env.CASEDESK_TEST_CLAMD || "127.0.0.1:13310",
    },
  },
});
