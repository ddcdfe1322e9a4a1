import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, expect, it } from "vitest";

// app/db/types.ts is committed so a fresh clone typechecks; this fails when
// schema.prisma changed and `npm run db:generate` was not run.
const root = path.resolve(import.meta.dirname, "../..");
const dir = mkdtempSync(path.join(tmpdir(), "kysely-types-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

it("app/db/types.ts is what prisma-kysely generates from prisma/schema.prisma", () => {
  const schema = readFileSync(path.join(root, "prisma/schema.prisma"), "utf8");
  const moved = schema.replace(
    /(generator kysely \{[\s\S]*?output\s*=\s*)"[^"]*"/,
    `$1${JSON.stringify(path.join(dir, "out"))}`,
  );
  expect(moved).not.toBe(schema);
  writeFileSync(path.join(dir, "schema.prisma"), moved);
  execFileSync("npx", ["prisma", "generate", "--schema", path.join(dir, "schema.prisma"), "--generator", "kysely"], {
    cwd: root,
    stdio: "pipe",
    env: sqliteGenerateEnv(),
  });
  expect(readFileSync(path.join(dir, "out/types.ts"), "utf8")).toBe(
    readFileSync(path.join(root, "app/db/types.ts"), "utf8"),
  );
}, 120_000);

// The generated types do not depend on the database under test; on the
// PostgreSQL pass the test's DATABASE_URL would make prisma ask for its
// binary query engine, which an offline machine cannot download.
function sqliteGenerateEnv(): NodeJS.ProcessEnv {
  const { DATABASE_URL: _url, PRISMA_PROVIDER: _provider, TEST_DATABASE_URL: _test, ...rest } = process.env;
  return rest;
}
