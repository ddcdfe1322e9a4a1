import { PrismaBetterSQLite3 } from "@prisma/adapter-better-sqlite3";
import { PrismaPg } from "@prisma/adapter-pg";
import { PrismaClient as PgClient } from "~/generated/prisma-pg/client";
import { PrismaClient } from "~/generated/prisma-sqlite/client";
import { getEnv, splitPostgresUrl, sqliteFilePath } from "./env.server";

// Both generated clients come from the same models (prisma/postgres/schema.prisma
// is derived from prisma/schema.prisma), so one build runs on either database
// and the SQLite client's types describe both.
export type Db = PrismaClient;

export function createDb(databaseUrl: string): Db {
  if (databaseUrl.startsWith("file:")) {
    const adapter = new PrismaBetterSQLite3({ url: sqliteFilePath(databaseUrl), timeout: 5000 });
    return new PrismaClient({ adapter });
  }
  const { connectionString, schema } = splitPostgresUrl(databaseUrl);
  const adapter = new PrismaPg({ connectionString, max: 10 }, schema ? { schema } : undefined);
  return new PgClient({ adapter }) as unknown as Db;
}

declare global {
  // eslint-disable-next-line no-var
  var __db: Db | undefined;
}

// One client per process; the dev server reloads modules, so keep it on globalThis.
export const db: Db = (globalThis.__db ??= createDb(getEnv().DATABASE_URL));
