// Writes a new migration for both databases from the change to
// prisma/schema.prisma since the last migration:
//   npm run db:migration -- <name>
// Each provider's folder keeps the schema its last migration reached
// (schema.snapshot.prisma); Prisma's `migrate diff` turns the difference into
// SQL without a database (docs/decisions/002-database.md). Prints "no changes"
// when the schema has not moved.
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, readdirSync, writeFileSync, copyFileSync } from "node:fs";
import path from "node:path";

const root = path.resolve(import.meta.dirname, "..");
const name = process.argv[2];
if (!name || !/^[a-z0-9_]+$/.test(name)) {
  console.error("usage: npm run db:migration -- <name_in_snake_case>");
  process.exit(1);
}
execFileSync(process.execPath, [path.join(root, "scripts/db-schema.js")], { stdio: "inherit" });

const providers = [
  { provider: "sqlite", schema: "prisma/schema.prisma" },
  { provider: "postgresql", schema: "prisma/postgres/schema.prisma" },
];

for (const { provider, schema } of providers) {
  const dir = path.join(root, "prisma/migrations", provider);
  mkdirSync(dir, { recursive: true });
  const snapshot = path.join(dir, "schema.snapshot.prisma");
  const from = existsSync(snapshot) ? ["--from-schema-datamodel", snapshot] : ["--from-empty"];
  const sql = execFileSync(
    path.join(root, "node_modules/.bin/prisma"),
    ["migrate", "diff", ...from, "--to-schema-datamodel", schema, "--script"],
    { cwd: root, env: { ...process.env, PRISMA_PROVIDER: provider }, encoding: "utf8" },
  )
    // Migrations run inside whatever schema the connection targets (tests use
    // one schema per run), so they must not name "public" themselves.
    .replace(/^-- CreateSchema\nCREATE SCHEMA IF NOT EXISTS "public";\n\n?/m, "");
  if (!/\b(CREATE|ALTER|DROP)\b/i.test(sql)) {
    console.log(`${provider}: no changes`);
    continue;
  }
  const next = readdirSync(dir).filter((d) => /^\d{4}_/.test(d)).length + 1;
  const folder = path.join(dir, `${String(next).padStart(4, "0")}_${name}`);
  mkdirSync(folder);
  writeFileSync(path.join(folder, "migration.sql"), sql);
  copyFileSync(path.join(root, schema), snapshot);
  console.log(`${provider}: wrote ${path.relative(root, folder)}/migration.sql`);
}
