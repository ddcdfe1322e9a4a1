import { defineConfig } from "@playwright/test";
import base from "./playwright.config";

// The Mux storage path in the browser, against the local Mux stand-in
// (tests/mux-standin.ts): npx playwright test -c playwright.mux.config.ts
// The app runs with the MUX_* variables set, so uploads go to the stand-in
// with UpChunk and the stand-in signs its webhooks back to the app.
const PORT = Number(process.env.E2E_MUX_PORT ?? 3291);
const STANDIN_PORT = PORT + 1;
const DATA = "data/e2e-mux";
const mux = { MUX_TOKEN_ID: "e2e-token", MUX_TOKEN_SECRET: "e2e-secret", MUX_WEBHOOK_SECRET: "e2e-webhook-secret" };

export default defineConfig({
  ...base,
  testDir: "tests/e2e-mux",
  reporter: [["list"], ["json", { outputFile: "reports/e2e-mux.json" }]],
  use: { ...base.use, baseURL: `http://localhost:${PORT}` },
  webServer: [
    {
      command: "tsx tests/mux-standin.ts",
      url: `http://127.0.0.1:${STANDIN_PORT}/video/v1/uploads`,
      reuseExistingServer: false,
      timeout: 60_000,
      env: {
        ...mux,
        MUX_STANDIN_PORT: String(STANDIN_PORT),
        MUX_WEBHOOK_URL: `http://localhost:${PORT}/api/mux/webhook`,
      },
    },
    {
      command: `rm -rf ${DATA} && tsx scripts/start.ts`,
      url: `http://localhost:${PORT}/`,
      timeout: 180_000,
      reuseExistingServer: false,
      stdout: "pipe",
      env: {
        ...mux,
        MUX_API_BASE_URL: `http://127.0.0.1:${STANDIN_PORT}`,
        PORT: String(PORT),
        DATABASE_URL: `file:./${DATA}/e2e.db`,
        MEDIA_DIR: `./${DATA}/media`,
        SEED_DEMO: "true",
        LOG_LEVEL: "warn",
        UPLOAD_CHUNK_BYTES: String(256 * 1024),
      },
    },
  ],
});
