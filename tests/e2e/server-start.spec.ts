import { spawn } from "node:child_process";
import { expect, test } from "@playwright/test";

// The production server (`npm run serve`, server.js over the build that
// `npm start` has just made) stops at start on a bad ISSUER_KEYS, naming the
// variable and never echoing a key: a certificate must not be the first thing
// to find out.

function serve(env: Record<string, string>): Promise<{ code: number | null; stderr: string }> {
  return new Promise((resolve) => {
    const inherited = { ...process.env };
    delete inherited.ISSUER_KEYS_FILE;
    const child = spawn(process.execPath, ["server.js"], {
      env: { ...inherited, NODE_ENV: "production", PORT: "3999", LOG_LEVEL: "warn", ...env },
      stdio: ["ignore", "ignore", "pipe"],
    });
    let stderr = "";
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    const timer = setTimeout(() => child.kill("SIGTERM"), 30_000);
    child.on("exit", (code) => {
      clearTimeout(timer);
      resolve({ code, stderr });
    });
  });
}

test("a bad ISSUER_KEYS stops the server at start, naming the variable and no key", async () => {
  const secret = "d".repeat(43);
  const broken = JSON.stringify({
    version: 1,
    identitySecret: "short",
    keys: [{ kid: "k", createdAt: "2026-01-01T00:00:00Z", jwk: { kty: "OKP", crv: "Ed25519", x: "x", d: secret } }],
  });
  const { code, stderr } = await serve({ ISSUER_KEYS: broken });
  expect(code).toBe(1);
  expect(stderr).toContain("Invalid environment variables");
  expect(stderr).toContain("ISSUER_KEYS: not an issuer key set");
  expect(stderr).not.toContain(secret);
  expect(stderr).not.toMatch(/\n\s+at /);
});
