import { mkdirSync } from "node:fs";
import path from "node:path";
import { PrismaBetterSQLite3 } from "@prisma/adapter-better-sqlite3";
import { PrismaPg } from "@prisma/adapter-pg";
import { defineConfig } from "prisma/config";

// Prisma's CLI only generates the clients and diffs schemas into migration SQL
// here; migrations are applied by app/utils/migrate.server.ts on both
// databases (docs/decisions/002-database.md). The JS schema engine keeps the
// CLI from downloading a native engine, which cannot work offline.
// PRISMA_PROVIDER=postgresql points the CLI at the PostgreSQL schema.
const postgres = process.env.PRISMA_PROVIDER === "postgresql";
process.env.DATABASE_URL ??= postgres ? "postgresql://postgres@127.0.0.1:5432/test" : "file:./data/tap-huan.db";
const url = process.env.DATABASE_URL;
if (url.startsWith("file:")) {
  mkdirSync(path.dirname(url.slice("file:".length).split("?")[0] ?? "."), { recursive: true });
}

export default defineConfig({
  experimental: { adapter: true },
  engine: "js",
  schema: postgres ? path.join("prisma", "postgres", "schema.prisma") : path.join("prisma", "schema.prisma"),
  async adapter() {
    return postgres ? new PrismaPg({ connectionString: url }) : new PrismaBetterSQLite3({ url });
  },
});
