// Runs before every vitest file: each file gets a database of its own, so
// files can run in parallel and never see each other's rows.
//   default                          a fresh, migrated SQLite file
//   TEST_DATABASE_URL=postgresql://… a fresh, migrated schema in that database
import { randomUUID } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import pg from "pg";
import { afterAll } from "vitest";
import { migrate } from "~/utils/migrate.server";

const scratch = mkdtempSync(path.join(tmpdir(), "taphuan-test-"));
process.env.MEDIA_DIR = path.join(scratch, "media");
// The signing keys would otherwise be made under ./data when the database is PostgreSQL.
process.env.ISSUER_KEYS_FILE = path.join(scratch, "issuer-keys.json");
process.env.NODE_ENV = "test";
delete (globalThis as { __db?: unknown }).__db;

const base = process.env.TEST_DATABASE_URL;
if (base?.startsWith("postgres")) {
  const schema = `t_${randomUUID().replace(/-/g, "").slice(0, 20)}`;
  const url = new URL(base);
  url.searchParams.set("schema", schema);
  process.env.DATABASE_URL = url.toString();
  await migrate(process.env.DATABASE_URL);
  afterAll(async () => {
    const { db } = await import("~/utils/db.server");
    // A pool waits for every client it lent: one still out (a transaction a
    // test left behind) would hold the hook for ever. Say so, and go on: the
    // backends still holding locks in the schema are ended below.
    const waited = await Promise.race([
      db.$disconnect().then(() => false),
      new Promise<boolean>((resolve) => setTimeout(() => resolve(true), 15_000).unref()),
    ]);
    if (waited) console.warn(`schema ${schema}: the database client did not close within 15 s`);
    const client = new pg.Client({ connectionString: base });
    await client.connect();
    // This file's tests are over: a connection of its own still holding a lock
    // in its schema (a background timer that opened a pool again after the
    // test closed it) would make the DROP wait for ever. Name it and end it.
    const holders = await client.query<{ pid: number; state: string; query: string }>(
      `SELECT DISTINCT a.pid, a.state, a.query FROM pg_locks l
         JOIN pg_class c ON c.oid = l.relation
         JOIN pg_namespace n ON n.oid = c.relnamespace
         JOIN pg_stat_activity a ON a.pid = l.pid
        WHERE n.nspname = $1 AND l.pid <> pg_backend_pid()`,
      [schema],
    );
    for (const holder of holders.rows) {
      console.warn(`schema ${schema}: ending backend ${holder.pid} (${holder.state}): ${holder.query.slice(0, 200)}`);
      await client.query("SELECT pg_terminate_backend($1)", [holder.pid]);
    }
    await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
    await client.end();
    rmSync(scratch, { recursive: true, force: true });
  }, 120_000);
} else {
  process.env.DATABASE_URL = `file:${path.join(scratch, "test.db")}`;
  await migrate(process.env.DATABASE_URL);
  afterAll(async () => {
    const { db } = await import("~/utils/db.server");
    await db.$disconnect();
    rmSync(scratch, { recursive: true, force: true });
  });
}
