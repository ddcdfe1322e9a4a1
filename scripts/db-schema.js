// Writes prisma/postgres/schema.prisma from prisma/schema.prisma: the same
// models under a PostgreSQL datasource and a client generated beside the
// SQLite one. `--check` fails when the committed copy is stale (CI runs it).
import { readFileSync, writeFileSync, mkdirSync } from "node:fs";
import path from "node:path";

const root = path.resolve(import.meta.dirname, "..");
const source = readFileSync(path.join(root, "prisma/schema.prisma"), "utf8");

const derived = source
  .replace(
    /^\/\/ The data model[\s\S]*?\n\n/,
    () => `// GENERATED from prisma/schema.prisma by scripts/db-schema.js — do not edit.\n\n`,
  )
  .replace('output       = "../app/generated/prisma-sqlite"', 'output       = "../../app/generated/prisma-pg"')
  .replace('provider = "sqlite"', 'provider = "postgresql"')
  // The query types (app/db/types.ts) come from the SQLite schema alone.
  .replace(/^\/\/ Query types for the hand-written SQL[\s\S]*?\n}\n\n/m, "");

if (derived === source || !derived.includes('"postgresql"') || !derived.includes("prisma-pg")) {
  console.error("db-schema: could not derive the PostgreSQL schema; did the header of prisma/schema.prisma change?");
  process.exit(1);
}

const target = path.join(root, "prisma/postgres/schema.prisma");
if (process.argv.includes("--check")) {
  let current = "";
  try {
    current = readFileSync(target, "utf8");
  } catch {
    /* no file yet: out of date */
  }
  if (current !== derived) {
    console.error("prisma/postgres/schema.prisma is out of date: run `npm run db:schema`.");
    process.exit(1);
  }
} else {
  mkdirSync(path.dirname(target), { recursive: true });
  writeFileSync(target, derived);
}
