// `npm test`: the whole suite, the same locally and in CI.
//   1. module boundaries (dependency-cruiser), lint (ESLint), format (Prettier), typecheck
//   2. unit + integration tests (vitest)   3. production build
//   4. end-to-end tests (Playwright on Debian's Chromium; the page-by-page accessibility
//      audit, tests/e2e/a11y.spec.ts, is one of their files), then the Mux path
//      against the local Mux stand-in
// Set TEST_DATABASE_URL=postgresql://… to run step 2 against PostgreSQL too.
// Browser tests get free ports (E2E_PORT, E2E_MUX_PORT, E2E_OPS_PORT and
// E2E_OPS_SMTP_PORT may still be set by hand), so a running app is no obstacle.
import { spawnSync } from "node:child_process";
import { existsSync, rmSync } from "node:fs";
import { createServer } from "node:net";

const chromium = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
if (!existsSync(chromium)) {
  const install = "apt-get update && apt-get install -y chromium";
  // As root on Debian, do what Playwright's own install-deps would: install it.
  if (!process.env.CHROMIUM_PATH && process.getuid?.() === 0 && existsSync("/usr/bin/apt-get")) {
    console.log(`\n▶ Installing Debian's Chromium for the browser tests (${install})`);
    const result = spawnSync("sh", ["-c", install], {
      stdio: "inherit",
      env: { ...process.env, DEBIAN_FRONTEND: "noninteractive" },
    });
    if (result.status !== 0 || !existsSync(chromium)) {
      console.error(`\n✖ Installing Chromium failed; run: ${install}`);
      process.exit(1);
    }
  } else {
    console.error(
      `Chromium was not found at ${chromium}. The browser tests use Debian's Chromium:\n` +
        `  sudo sh -c "${install}"\n` +
        "(or set CHROMIUM_PATH to a Chromium binary).",
    );
    process.exit(1);
  }
}

/** A port nobody listens on now (and, with `pair`, the one after it too). */
async function freePort(pair = false) {
  for (;;) {
    const port = await listenOnce(0);
    if (
      !pair ||
      (await listenOnce(port + 1).then(
        () => true,
        () => false,
      ))
    )
      return port;
  }
}

function listenOnce(port) {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(port, "127.0.0.1", () => {
      const { port: bound } = server.address();
      server.close(() => resolve(bound));
    });
  });
}

process.env.E2E_PORT ??= String(await freePort());
process.env.E2E_MUX_PORT ??= String(await freePort(true)); // the Mux stand-in listens on the next one
process.env.E2E_OPS_PORT ??= String(await freePort());
process.env.E2E_OPS_SMTP_PORT ??= String(await freePort());

rmSync("reports", { recursive: true, force: true });

const steps = [
  ["Schema in sync", "node", ["scripts/db-schema.js", "--check"]],
  ["Module boundaries", "npm", ["run", "--silent", "lint:boundaries"]],
  ["Lint", "npx", ["eslint", ".", "--max-warnings", "0"]],
  ["Format", "npx", ["prettier", "--check", "."]],
  ["Typecheck", "npx", ["tsc", "--noEmit"]],
  [
    "Unit and integration tests",
    "npx",
    ["vitest", "run", "--reporter=default", "--reporter=json", "--outputFile.json=reports/vitest.json"],
  ],
  ["Production build", "npm", ["run", "build"]],
  ["End-to-end tests", "npx", ["playwright", "test"]],
  ["End-to-end tests, Mux storage (local stand-in)", "npx", ["playwright", "test", "-c", "playwright.mux.config.ts"]],
  [
    "End-to-end tests, a real installation with email (SEED_DEMO=false, real SMTP server)",
    "npx",
    ["playwright", "test", "-c", "playwright.ops.config.ts"],
  ],
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
spawnSync(
  process.execPath,
  [
    "scripts/test-summary.js",
    "reports/vitest.json",
    "reports/e2e.json",
    "reports/e2e-mux.json",
    "reports/e2e-ops.json",
  ],
  { stdio: "inherit" },
);
