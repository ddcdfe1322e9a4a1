import { PrismaBetterSQLite3 } from "@prisma/adapter-better-sqlite3";
import { PrismaPg } from "@prisma/adapter-pg";
import { PrismaClient as PgClient } from "~/generated/prisma-pg/client";
import { PrismaClient } from "~/generated/prisma-sqlite/client";
import { getEnv, splitPostgresUrl, sqliteFilePath } from "./env.server";

// Both generated clients come from the same models (prisma/postgres/schema.prisma
// is derived from prisma/schema.prisma), so one build runs on either database
// and the SQLite client's types describe both.
export type Db = PrismaClient;

type AdapterFactory = NonNullable<NonNullable<ConstructorParameters<typeof PrismaClient>[0]>["adapter"]>;

// Per-connection SQLite settings the adapter does not set: foreign keys (so
// ON DELETE CASCADE works as on PostgreSQL) and, with WAL, NORMAL sync —
// durable against a crash of the process, and no fsync on every commit
// (docs/decisions/002-database.md).
const SQLITE_PRAGMAS = "PRAGMA foreign_keys = ON; PRAGMA synchronous = NORMAL;";

function sqliteAdapter(databaseUrl: string): AdapterFactory {
  const inner = new PrismaBetterSQLite3({ url: sqliteFilePath(databaseUrl), timeout: 5000 });
  return {
    provider: inner.provider,
    adapterName: inner.adapterName,
    async connect() {
      const adapter = await inner.connect();
      await adapter.executeScript(SQLITE_PRAGMAS);
      return adapter;
    },
  };
}

export function createDb(databaseUrl: string): Db {
  if (databaseUrl.startsWith("file:")) {
    return new PrismaClient({ adapter: sqliteAdapter(databaseUrl) });
  }
  const { connectionString, schema } = splitPostgresUrl(databaseUrl);
  if (schema && !/^[a-z_][a-z0-9_]*$/.test(schema)) throw new Error(`Invalid schema name in DATABASE_URL: ${schema}`);
  // Prisma qualifies its own queries with the schema; the search path makes
  // the hand-written hot-path SQL land in the same one.
  const adapter = new PrismaPg(
    { connectionString, max: 10, ...(schema ? { options: `-c search_path=${schema}` } : {}) },
    schema ? { schema } : undefined,
  );
  return new PgClient({ adapter }) as unknown as Db;
}

declare global {
  var __db: Db | undefined;
}

// One client per process; the dev server reloads modules, so keep it on globalThis.
export const db: Db = (globalThis.__db ??= createDb(getEnv().DATABASE_URL));

/** The client inside `db.$transaction(async (tx) => …)`, or the client itself: writes that belong together take one. */
export type DbClient = Parameters<Parameters<Db["$transaction"]>[0]>[0] | Db;

/**
 * Runs a transaction again when SQLite answers "database is locked". A
 * deferred transaction that reads and then writes fails at once (no busy
 * wait) if another process committed in between — a command-line tool beside
 * the running server, whose job runner writes every few seconds. The failed
 * attempt was rolled back, so trying again is safe.
 */
export async function retryWhenLocked<T>(fn: () => Promise<T>, attempts = 8): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await fn();
    } catch (error) {
      const locked = /database is locked|SQLITE_BUSY/i.test(String((error as Error)?.message ?? error));
      if (!locked || attempt >= attempts) throw error;
      await new Promise((resolve) => setTimeout(resolve, 25 * 2 ** attempt + Math.random() * 50));
    }
  }
}
