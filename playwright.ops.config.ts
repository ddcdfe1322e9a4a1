import { defineConfig, devices } from "@playwright/test";

// A real installation from scratch: no demo accounts (SEED_DEMO=false) and
// email through a real SMTP server that the spec starts on SMTP_PORT. The
// spec drives the command line against the same database as the server.
export const OPS_PORT = Number(process.env.E2E_OPS_PORT ?? 3300);
export const OPS_SMTP_PORT = Number(process.env.E2E_OPS_SMTP_PORT ?? 2526);
export const OPS_DATA = "data/e2e-ops";
export const OPS_ENV = {
  PORT: String(OPS_PORT),
  DATABASE_URL: `file:./${OPS_DATA}/e2e.db`,
  MEDIA_DIR: `./${OPS_DATA}/media`,
  SEED_DEMO: "false",
  PUBLIC_URL: `http://localhost:${OPS_PORT}`,
  SMTP_URL: `smtp://127.0.0.1:${OPS_SMTP_PORT}`,
  MAIL_FROM: "Tập huấn <no-reply@taphuan.test>",
  LOG_LEVEL: "warn",
};

export default defineConfig({
  testDir: "tests/e2e-ops",
  timeout: 180_000,
  expect: { timeout: 20_000 },
  fullyParallel: false,
  workers: 1,
  retries: process.env.CI ? 1 : 0,
  reporter: [["list"], ["json", { outputFile: "reports/e2e-ops.json" }]],
  use: { baseURL: `http://localhost:${OPS_PORT}`, trace: "retain-on-failure", locale: "vi-VN" },
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
          ],
        },
      },
    },
  ],
  webServer: {
    command: `rm -rf ${OPS_DATA} && tsx scripts/start.ts`,
    url: `http://localhost:${OPS_PORT}/healthz`,
    timeout: 180_000,
    reuseExistingServer: false,
    stdout: "pipe",
    env: OPS_ENV,
  },
});
