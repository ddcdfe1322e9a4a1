import { defineConfig, devices } from "@playwright/test";
import { E2E_DATA_DIR, E2E_DATABASE_URL } from "./tests/e2e/server-data";

// End-to-end tests run against the production build, served by the same
// `npm start` a user runs, on a throwaway database. The browser is Debian's
// Chromium (see docs/decisions/004-browser-tests.md): Playwright's own
// download cannot work offline.
const PORT = Number(process.env.E2E_PORT ?? 3100);
const DATA = E2E_DATA_DIR;

export default defineConfig({
  testDir: "tests/e2e",
  // The page-by-page accessibility audit (tests/e2e/a11y.spec.ts) is part of this run: one
  // server start for all browser tests (docs/decisions/135-audit-in-the-main-run.md).
  timeout: 120_000,
  expect: { timeout: 15_000 },
  fullyParallel: false,
  workers: 1,
  retries: process.env.CI ? 1 : 0,
  reporter: [
    ["list"],
    ["json", { outputFile: "reports/e2e.json" }],
    ...(process.env.CI ? [] : [["html", { open: "never" }] as const]),
  ],
  use: {
    baseURL: `http://localhost:${PORT}`,
    trace: "retain-on-failure",
    locale: "vi-VN",
  },
  projects: [
    {
      name: "chromium",
      use: {
        ...devices["Desktop Chrome"],
        launchOptions: {
          executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
          args: [
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
            "--disable-quic",
            "--autoplay-policy=no-user-gesture-required",
          ],
        },
      },
    },
  ],
  webServer: {
    // The short fixture courses go in first; `npm start` then adds everything else.
    command: `rm -rf ${DATA} && tsx tests/fixtures/e2e-courses/seed.ts && tsx scripts/start.ts`,
    url: `http://localhost:${PORT}/`,
    timeout: 180_000,
    reuseExistingServer: false,
    stdout: "pipe",
    env: {
      PORT: String(PORT),
      DATABASE_URL: E2E_DATABASE_URL,
      MEDIA_DIR: `./${DATA}/media`,
      SEED_DEMO: "true",
      LOG_LEVEL: "warn",
      // Small upload chunks, so the test files go up in several requests.
      UPLOAD_CHUNK_BYTES: String(256 * 1024),
    },
  },
});
