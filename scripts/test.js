// `npm test`: the whole suite, the same locally and in CI.
//   1. typecheck   2. unit + integration tests (vitest)   3. production build
//   4. end-to-end tests (Playwright on Debian's Chromium), then the Mux path
//      against the local Mux stand-in
// Set TEST_DATABASE_URL=postgresql://… to run step 2 against PostgreSQL too.
import { spawnSync } from "node:child_process";
import { existsSync, rmSync } from "node:fs";

const chromium = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
if (!existsSync(chromium)) {
  console.error(
    `Chromium was not found at ${chromium}. The browser tests use Debian's Chromium:\n` +
      "  sudo apt-get update && sudo apt-get install -y chromium\n" +
      "(or set CHROMIUM_PATH to a Chromium binary).",
  );
  process.exit(1);
}

rmSync("reports", { recursive: true, force: true });

const steps = [
  ["Schema in sync", "node", ["scripts/db-schema.js", "--check"]],
  ["Typecheck", "npx", ["tsc", "--noEmit"]],
  ["Unit and integration tests", "npx", ["vitest", "run", "--reporter=default", "--reporter=json", "--outputFile.json=reports/vitest.json"]],
  ["Production build", "npx", ["remix", "vite:build"]],
  ["End-to-end tests", "npx", ["playwright", "test"]],
  ["End-to-end tests, Mux storage (local stand-in)", "npx", ["playwright", "test", "-c", "playwright.mux.config.ts"]],
  ["End-to-end tests, a real installation with email (SEED_DEMO=false, real SMTP server)", "npx", ["playwright", "test", "-c", "playwright.ops.config.ts"]],
];

for (const [name, command, args] of steps) {
  console.log(`\n▶ ${name}`);
  const result = spawnSync(command, args, { stdio: "inherit" });
  if (result.status !== 0) {
    console.error(`\n✖ ${name} failed.`);
    process.exit(result.status ?? 1);
  }
}
console.log("\n✔ All checks passed.");
spawnSync(process.execPath, ["scripts/test-summary.js", "reports/vitest.json", "reports/e2e.json", "reports/e2e-mux.json", "reports/e2e-ops.json"], { stdio: "inherit" });
