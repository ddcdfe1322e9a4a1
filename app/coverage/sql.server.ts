import Database from "better-sqlite3";
import pg from "pg";
import { getEnv, splitPostgresUrl, sqliteFilePath } from "~/utils/env.server";

// Coverage reads and writes go through the database driver, not Prisma: a
// 200,000-row roster import writes ~700,000 rows, and Prisma's parameter
// handling made that 3-15x slower than the driver (docs/decisions/
// 020-coverage-sql.md). The SQL is written once with `?` placeholders; this
// module turns them into `$n` for PostgreSQL and stores dates the way Prisma
// does on each database, so Prisma reads the same rows back unchanged.

export type Dialect = "sqlite" | "postgresql";

export type ColumnType = "text" | "int" | "timestamp" | "TrainingMode" | "TrainingSource";
export type Column = { name: string; type: ColumnType };

export interface Sql {
  readonly dialect: Dialect;
  all<T = Record<string, unknown>>(text: string, params?: readonly unknown[]): Promise<T[]>;
  run(text: string, params?: readonly unknown[]): Promise<number>;
  /** Inserts rows of values in column order; `tail` is appended (e.g. an ON CONFLICT clause). */
  insertMany(table: string, columns: readonly Column[], rows: readonly (readonly unknown[])[], tail?: string): Promise<number>;
  /** One writer at a time on SQLite (BEGIN IMMEDIATE); READ COMMITTED on PostgreSQL. Nested calls join the outer one. */
  transaction<T>(fn: (tx: Sql) => Promise<T>): Promise<T>;
}

/**
 * A short list of values as placeholders, `"ruleId" IN (?, ?, ?)`: the
 * planner sees how many there are and walks the index for each.
 */
export function inValues(column: string, values: readonly unknown[]): { text: string; params: unknown[] } {
  if (values.length === 0) return { text: "1=0", params: [] };
  return { text: `${column} IN (${values.map(() => "?").join(", ")})`, params: [...values] };
}

/** A long list parameter: `"id" IN (SELECT value FROM json_each(?))` / `= ANY(?::text[])`. */
export function inList(sql: Sql, column: string): string {
  return sql.dialect === "sqlite" ? `${column} IN (SELECT value FROM json_each(?))` : `${column} = ANY(?::text[])`;
}
export function listParam(sql: Sql, values: readonly string[]): unknown {
  return sql.dialect === "sqlite" ? JSON.stringify(values) : values;
}

/** A stored DateTime column as YYYY-MM-DD. */
export function isoDateOf(sql: Sql, column: string): string {
  return sql.dialect === "sqlite" ? `substr(${column}, 1, 10)` : `to_char(${column}, 'YYYY-MM-DD')`;
}

/** A stored DateTime column as an ISO 8601 instant that Date.parse reads the same anywhere. */
export function isoInstantOf(sql: Sql, column: string): string {
  return sql.dialect === "sqlite" ? column : `to_char(${column}, 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;
}

// Prisma's SQLite adapter writes DateTime as ISO 8601 with "+00:00".
function sqliteValue(value: unknown): unknown {
  if (value instanceof Date) return value.toISOString().replace("Z", "+00:00");
  if (typeof value === "boolean") return value ? 1 : 0;
  return value;
}

// Columns are TIMESTAMP(3) without time zone holding UTC, as Prisma writes
// them; an ISO string cast to that type keeps the UTC wall time whatever the
// server's or this process's time zone.
function postgresValue(value: unknown): unknown {
  return value instanceof Date ? value.toISOString() : value;
}

function toDollar(text: string): string {
  let n = 0;
  return text.replace(/\?/g, () => `$${++n}`);
}

// ---------------------------------------------------------------- SQLite

/** How long a write waits for another connection's write lock before it fails. */
const WRITE_LOCK_WAIT_MS = 10_000;

class Mutex {
  private tail: Promise<void> = Promise.resolve();
  async lock(): Promise<() => void> {
    let release!: () => void;
    const next = new Promise<void>((resolve) => (release = resolve));
    const previous = this.tail;
    this.tail = previous.then(() => next);
    await previous;
    return release;
  }
}

class SqliteSql implements Sql {
  readonly dialect = "sqlite" as const;
  private readonly writer: Database.Database;
  private readonly reader: Database.Database;
  private readonly mutex = new Mutex();
  private readonly statements = new Map<string, Database.Statement>();

  constructor(file: string) {
    // Two connections: readers in WAL mode never wait for the writer, and the
    // writer's transactions hold a lock so no other async caller in this
    // process runs a statement inside them by accident.
    this.writer = new Database(file, { timeout: 10_000 });
    this.reader = new Database(file, { timeout: 10_000 });
    for (const conn of [this.writer, this.reader]) {
      conn.pragma("foreign_keys = ON");
      // Imports touch indexes all over a large file; SQLite's default 2 MB page cache thrashes.
      conn.pragma("cache_size = -65536");
    }
    // SQLite's default: the writer's own commits copy the WAL back into the
    // file a little at a time. With a larger threshold the WAL grew by tens of
    // megabytes during an import, and whichever connection committed next
    // (Prisma's, answering a request) paid for copying all of it: stalls of
    // 200-500 ms (bench:import-hostile).
    this.writer.pragma("wal_autocheckpoint = 1000");
    // The writer never sleeps inside SQLite for the lock: better-sqlite3's
    // busy wait stops the whole event loop, so the request holding the lock
    // (through Prisma's connection, across an await) could never finish.
    // begin() waits for it between turns of the event loop instead.
    this.writer.pragma("busy_timeout = 0");
  }

  private async begin(): Promise<void> {
    const deadline = Date.now() + WRITE_LOCK_WAIT_MS;
    for (let pause = 1; ; pause = Math.min(pause * 2, 25)) {
      try {
        this.writer.exec("BEGIN IMMEDIATE");
        return;
      } catch (error) {
        if ((error as { code?: string }).code !== "SQLITE_BUSY" || Date.now() > deadline) throw error;
      }
      await new Promise((resolve) => setTimeout(resolve, pause));
    }
  }

  private prepare(conn: Database.Database, text: string): Database.Statement {
    const key = `${conn === this.writer ? "w" : "r"}:${text}`;
    let statement = this.statements.get(key);
    if (!statement) {
      statement = conn.prepare(text);
      this.statements.set(key, statement);
    }
    return statement;
  }

  async all<T>(text: string, params: readonly unknown[] = []): Promise<T[]> {
    return this.prepare(this.reader, text).all(...params.map(sqliteValue)) as T[];
  }

  async run(text: string, params: readonly unknown[] = []): Promise<number> {
    return this.transaction((tx) => tx.run(text, params));
  }

  async insertMany(table: string, columns: readonly Column[], rows: readonly (readonly unknown[])[], tail = ""): Promise<number> {
    return this.transaction((tx) => tx.insertMany(table, columns, rows, tail));
  }

  async transaction<T>(fn: (tx: Sql) => Promise<T>): Promise<T> {
    const release = await this.mutex.lock();
    try {
      await this.begin();
      try {
        const result = await fn(new SqliteTx(this.writer, (conn, text) => this.prepare(conn, text)));
        this.writer.exec("COMMIT");
        return result;
      } catch (error) {
        if (this.writer.inTransaction) this.writer.exec("ROLLBACK");
        throw error;
      }
    } finally {
      release();
    }
  }

  close() {
    this.writer.close();
    this.reader.close();
  }
}

class SqliteTx implements Sql {
  readonly dialect = "sqlite" as const;
  constructor(
    private readonly conn: Database.Database,
    private readonly prepare: (conn: Database.Database, text: string) => Database.Statement,
  ) {}

  async all<T>(text: string, params: readonly unknown[] = []): Promise<T[]> {
    return this.prepare(this.conn, text).all(...params.map(sqliteValue)) as T[];
  }

  async run(text: string, params: readonly unknown[] = []): Promise<number> {
    return this.prepare(this.conn, text).run(...params.map(sqliteValue)).changes;
  }

  async insertMany(table: string, columns: readonly Column[], rows: readonly (readonly unknown[])[], tail = ""): Promise<number> {
    if (rows.length === 0) return 0;
    // One prepared statement run per row: in SQLite that is as fast as
    // multi-row VALUES (measured), and simpler.
    const statement = this.prepare(
      this.conn,
      `INSERT INTO "${table}" (${columns.map((c) => `"${c.name}"`).join(", ")}) VALUES (${columns.map(() => "?").join(", ")}) ${tail}`,
    );
    let changes = 0;
    for (const row of rows) changes += statement.run(...row.map(sqliteValue)).changes;
    return changes;
  }

  async transaction<T>(fn: (tx: Sql) => Promise<T>): Promise<T> {
    return fn(this);
  }
}

// ---------------------------------------------------------------- PostgreSQL

const PG_ARRAY_TYPE: Record<ColumnType, string> = {
  text: "text[]",
  int: "int[]",
  timestamp: "timestamp(3)[]",
  TrainingMode: "text[]",
  TrainingSource: "text[]",
};

// PostgreSQL enum columns: the text values are cast to the type on insert.
const PG_ENUMS = new Set<ColumnType>(["TrainingMode", "TrainingSource"]);

// unnest() takes one array per column, so a chunk of any size is a handful of
// parameters; the chunk bounds the size of one statement.
const PG_CHUNK = 10_000;

async function pgInsertMany(
  query: (text: string, params: unknown[]) => Promise<pg.QueryResult>,
  table: string,
  columns: readonly Column[],
  rows: readonly (readonly unknown[])[],
  tail: string,
): Promise<number> {
  let changes = 0;
  for (let start = 0; start < rows.length; start += PG_CHUNK) {
    const part = rows.slice(start, start + PG_CHUNK);
    const arrays = columns.map((_, i) => part.map((row) => postgresValue(row[i])));
    const select = columns.map((c, i) => (PG_ENUMS.has(c.type) ? `u.c${i}::"${c.type}"` : `u.c${i}`)).join(", ");
    const text =
      `INSERT INTO "${table}" (${columns.map((c) => `"${c.name}"`).join(", ")}) ` +
      `SELECT ${select} FROM unnest(${columns.map((c, i) => `$${i + 1}::${PG_ARRAY_TYPE[c.type]}`).join(", ")}) ` +
      `AS u(${columns.map((_, i) => `c${i}`).join(", ")}) ${tail}`;
    changes += (await query(text, arrays)).rowCount ?? 0;
  }
  return changes;
}

class PostgresSql implements Sql {
  readonly dialect = "postgresql" as const;
  readonly pool: pg.Pool;

  constructor(databaseUrl: string) {
    const { connectionString, schema } = splitPostgresUrl(databaseUrl);
    this.pool = new pg.Pool({
      connectionString,
      max: 5,
      idleTimeoutMillis: 5_000,
      allowExitOnIdle: true,
      options: schema ? `-c search_path="${schema}"` : undefined,
    });
  }

  async all<T>(text: string, params: readonly unknown[] = []): Promise<T[]> {
    return (await this.pool.query(toDollar(text), params.map(postgresValue))).rows as T[];
  }

  async run(text: string, params: readonly unknown[] = []): Promise<number> {
    return (await this.pool.query(toDollar(text), params.map(postgresValue))).rowCount ?? 0;
  }

  async insertMany(table: string, columns: readonly Column[], rows: readonly (readonly unknown[])[], tail = ""): Promise<number> {
    return this.transaction((tx) => tx.insertMany(table, columns, rows, tail));
  }

  async transaction<T>(fn: (tx: Sql) => Promise<T>): Promise<T> {
    const client = await this.pool.connect();
    try {
      await client.query("BEGIN");
      const result = await fn(new PostgresTx(client));
      await client.query("COMMIT");
      return result;
    } catch (error) {
      await client.query("ROLLBACK").catch(() => {});
      throw error;
    } finally {
      client.release();
    }
  }

  async close() {
    await this.pool.end();
  }
}

class PostgresTx implements Sql {
  readonly dialect = "postgresql" as const;
  constructor(private readonly client: pg.PoolClient) {}

  async all<T>(text: string, params: readonly unknown[] = []): Promise<T[]> {
    return (await this.client.query(toDollar(text), params.map(postgresValue))).rows as T[];
  }

  async run(text: string, params: readonly unknown[] = []): Promise<number> {
    return (await this.client.query(toDollar(text), params.map(postgresValue))).rowCount ?? 0;
  }

  async insertMany(table: string, columns: readonly Column[], rows: readonly (readonly unknown[])[], tail = ""): Promise<number> {
    if (rows.length === 0) return 0;
    return pgInsertMany((text, params) => this.client.query(text, params), table, columns, rows, tail);
  }

  async transaction<T>(fn: (tx: Sql) => Promise<T>): Promise<T> {
    return fn(this);
  }
}

// ---------------------------------------------------------------- the connection

type Connection = { url: string; sql: SqliteSql | PostgresSql };

declare global {
  var __coverageSql: Connection | undefined;
}

export function createSql(databaseUrl: string): SqliteSql | PostgresSql {
  return databaseUrl.startsWith("file:") ? new SqliteSql(sqliteFilePath(databaseUrl)) : new PostgresSql(databaseUrl);
}

/** The process's coverage connection to DATABASE_URL, opened on first use. */
export function getSql(): Sql {
  const url = getEnv().DATABASE_URL;
  if (globalThis.__coverageSql?.url !== url) globalThis.__coverageSql = { url, sql: createSql(url) };
  return globalThis.__coverageSql.sql;
}

export async function closeSql() {
  const open = globalThis.__coverageSql;
  globalThis.__coverageSql = undefined;
  await open?.sql.close();
}

/** Numbers from aggregates: PostgreSQL returns COUNT/SUM as strings (bigint). */
export function num(value: unknown): number {
  if (value === null || value === undefined) return 0;
  return typeof value === "number" ? value : Number(value);
}
