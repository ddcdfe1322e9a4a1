import { createHash } from "node:crypto";
import { mkdirSync, readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import Database from "better-sqlite3";
import pg from "pg";
import { splitPostgresUrl, sqliteFilePath } from "./env.server";

// Applies prisma/migrations/<provider>/NNNN_name/migration.sql in order, each
// in its own transaction, and records it in _migrations with a checksum so an
// edited, already-applied migration is caught instead of silently skipped.
// Why not `prisma migrate deploy`: docs/decisions/002-database.md.

export type Provider = "sqlite" | "postgresql";

export type Migration = { name: string; sql: string; checksum: string };

export function migrationsDir(provider: Provider, root = process.cwd()) {
  return path.join(root, "prisma", "migrations", provider);
}

export function readMigrations(provider: Provider, root?: string): Migration[] {
  const dir = migrationsDir(provider, root);
  return readdirSync(dir)
    .filter((name) => /^\d{4}_[a-z0-9_]+$/.test(name))
    .sort()
    .map((name) => {
      const sql = readFileSync(path.join(dir, name, "migration.sql"), "utf8");
      return { name, sql, checksum: createHash("sha256").update(sql).digest("hex") };
    });
}

function checkChecksum(applied: Map<string, string>, migration: Migration) {
  const known = applied.get(migration.name);
  if (known !== undefined && known !== migration.checksum) {
    throw new Error(
      `Migration ${migration.name} was changed after it was applied. Write a new migration instead (npm run db:migration -- <name>).`,
    );
  }
  return known !== undefined;
}

export function migrateSqlite(databaseUrl: string, root?: string): string[] {
  const file = sqliteFilePath(databaseUrl);
  mkdirSync(path.dirname(file), { recursive: true });
  const db = new Database(file);
  try {
    // WAL lets readers proceed during writes; it is a property of the file.
    db.pragma("journal_mode = WAL");
    db.pragma("busy_timeout = 5000");
    db.exec(
      `CREATE TABLE IF NOT EXISTS "_migrations" ("name" TEXT PRIMARY KEY, "checksum" TEXT NOT NULL, "appliedAt" TEXT NOT NULL)`,
    );
    const applied = new Map(
      (db.prepare(`SELECT name, checksum FROM "_migrations"`).all() as { name: string; checksum: string }[]).map(
        (row) => [row.name, row.checksum],
      ),
    );
    const done: string[] = [];
    for (const migration of readMigrations("sqlite", root)) {
      if (checkChecksum(applied, migration)) continue;
      db.transaction(() => {
        db.exec(migration.sql);
        db.prepare(`INSERT INTO "_migrations" (name, checksum, appliedAt) VALUES (?, ?, ?)`).run(
          migration.name,
          migration.checksum,
          new Date().toISOString(),
        );
      })();
      done.push(migration.name);
    }
    return done;
  } finally {
    db.close();
  }
}

/** `schema` lets tests run in a schema of their own; it is created if missing. */
export async function migratePostgres(databaseUrl: string, schema = "public", root?: string): Promise<string[]> {
  if (!/^[a-z_][a-z0-9_]*$/.test(schema)) throw new Error(`Invalid schema name: ${schema}`);
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    // One migrator at a time, whichever process gets there first.
    await client.query("SELECT pg_advisory_lock(727001)");
    await client.query(`CREATE SCHEMA IF NOT EXISTS "${schema}"`);
    await client.query(`SET search_path TO "${schema}"`);
    await client.query(
      `CREATE TABLE IF NOT EXISTS "_migrations" ("name" TEXT PRIMARY KEY, "checksum" TEXT NOT NULL, "appliedAt" TIMESTAMPTZ NOT NULL)`,
    );
    const { rows } = await client.query<{ name: string; checksum: string }>(`SELECT name, checksum FROM "_migrations"`);
    const applied = new Map(rows.map((row) => [row.name, row.checksum]));
    const done: string[] = [];
    for (const migration of readMigrations("postgresql", root)) {
      if (checkChecksum(applied, migration)) continue;
      await client.query("BEGIN");
      try {
        await client.query(migration.sql);
        await client.query(`INSERT INTO "_migrations" (name, checksum, "appliedAt") VALUES ($1, $2, now())`, [
          migration.name,
          migration.checksum,
        ]);
        await client.query("COMMIT");
      } catch (error) {
        await client.query("ROLLBACK");
        throw error;
      }
      done.push(migration.name);
    }
    return done;
  } finally {
    await client.query("SELECT pg_advisory_unlock(727001)").catch(() => {});
    await client.end();
  }
}

/** Brings the database at `databaseUrl` up to date; returns the migrations it applied. */
export async function migrate(databaseUrl: string, root?: string): Promise<string[]> {
  if (databaseUrl.startsWith("file:")) return migrateSqlite(databaseUrl, root);
  const { connectionString, schema } = splitPostgresUrl(databaseUrl);
  return migratePostgres(connectionString, schema, root);
}
