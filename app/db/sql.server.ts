import Database from "better-sqlite3";
import {
  Kysely,
  PostgresAdapter,
  PostgresIntrospector,
  PostgresQueryCompiler,
  SqliteAdapter,
  SqliteIntrospector,
  SqliteQueryCompiler,
  sql as fragment,
  type CompiledQuery,
  type DatabaseConnection,
  type Driver,
  type Expression,
  type Compilable,
  type RawBuilder,
  type SqlBool,
} from "kysely";
import pg from "pg";
import { from as copyFromStdin } from "pg-copy-streams";
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { getEnv, splitPostgresUrl, sqliteFilePath } from "~/utils/env.server";
import { SqliteReadPool } from "./read-pool.server";
import type { DB } from "./types";

// The one home of hand-written SQL (docs/decisions/020-coverage-sql.md,
// 005-typed-sql.md). Queries are built with Kysely over types generated from
// prisma/schema.prisma (./types.ts), so a renamed column fails the typecheck;
// Kysely only builds and compiles them, in the dialect of the database. This
// module runs them on the drivers Prisma's adapters use (better-sqlite3, pg):
// a bulk import through Prisma was 3-15x slower. It stores dates the way
// Prisma does on each database, so Prisma reads the same rows back unchanged.

export type Dialect = "sqlite" | "postgresql";
export type { DB };
export type Table = keyof DB & string;
export type ColumnOf<T extends Table> = keyof DB[T] & string;

/** A query built with `sql.db`, or a `fragment` for what the builder cannot say (ANALYZE, triggers). */
export type Query<O> = Compilable<O> | RawBuilder<O>;

export type ColumnType = "text" | "int" | "timestamp" | "TrainingMode" | "TrainingSource";
export type Column<T extends Table> = { name: ColumnOf<T>; type: ColumnType };

export type InsertManyOptions<T extends Table> = {
  /** `ON CONFLICT (these columns) DO NOTHING`: rows that would repeat a unique key are skipped. */
  skipConflictsOn?: readonly ColumnOf<T>[];
};

export interface Sql {
  readonly dialect: Dialect;
  /** The typed builder for this database: it only builds; `all` and `run` execute. */
  readonly db: Kysely<DB>;
  all<O>(query: Query<O>): Promise<O[]>;
  /** The first row, or undefined. */
  first<O>(query: Query<O>): Promise<O | undefined>;
  /** Runs a write; the number of rows it changed. */
  run(query: Query<unknown>): Promise<number>;
  /** Inserts rows of values in column order, the fast way on each database. */
  insertMany<T extends Table>(
    table: T,
    columns: readonly Column<T>[],
    rows: readonly (readonly unknown[])[],
    options?: InsertManyOptions<T>,
  ): Promise<number>;
  /** One writer at a time on SQLite (BEGIN IMMEDIATE); READ COMMITTED on PostgreSQL. Nested calls join the outer one. */
  transaction<T>(fn: (tx: Sql) => Promise<T>): Promise<T>;
  /**
   * Inside a transaction: runs `fn` once, as its last statements before it
   * commits (a row it locks is held only for the commit, and after every
   * other lock the transaction takes, so it adds no deadlock). A second call
   * with the same key is dropped. Outside a transaction it throws.
   */
  beforeCommit(key: string, fn: (tx: Sql) => Promise<void>): void;
}

function notInTransaction(): never {
  throw new Error("beforeCommit runs inside Sql.transaction");
}

// The hooks of one transaction (beforeCommit), run in the order they were added.
class CommitHooks {
  private readonly hooks = new Map<string, (tx: Sql) => Promise<void>>();
  add(key: string, fn: (tx: Sql) => Promise<void>) {
    if (!this.hooks.has(key)) this.hooks.set(key, fn);
  }
  async run(tx: Sql) {
    for (const fn of this.hooks.values()) await fn(tx);
  }
}

export { fragment };

// ---------------------------------------------------------------- the builder

// Kysely builds and compiles; executing through it would bypass the write
// lock and the date conversions below, so its driver refuses.
class BuildOnlyDriver implements Driver {
  async init() {}
  async acquireConnection(): Promise<DatabaseConnection> {
    throw new Error("Run queries with Sql.all/run/first (app/db/sql.server.ts), not .execute()");
  }
  async beginTransaction() {}
  async commitTransaction() {}
  async rollbackTransaction() {}
  async releaseConnection() {}
  async destroy() {}
}

function builder(dialect: Dialect): Kysely<DB> {
  const sqlite = dialect === "sqlite";
  return new Kysely<DB>({
    dialect: {
      createAdapter: () => (sqlite ? new SqliteAdapter() : new PostgresAdapter()),
      createDriver: () => new BuildOnlyDriver(),
      createIntrospector: (db) => (sqlite ? new SqliteIntrospector(db) : new PostgresIntrospector(db)),
      createQueryCompiler: () => (sqlite ? new SqliteQueryCompiler() : new PostgresQueryCompiler()),
    },
  });
}

const BUILDERS: Record<Dialect, Kysely<DB>> = { sqlite: builder("sqlite"), postgresql: builder("postgresql") };

function compile<O>(query: Query<O>, db: Kysely<DB>): CompiledQuery<O> {
  // A RawBuilder compiles against an executor; a query builder ignores the argument.
  return (query.compile as (provider: Kysely<DB>) => CompiledQuery<O>).call(query, db);
}

// ---------------------------------------------------------------- prepared statements

// SQLite: every statement is prepared once per connection and kept (below).
// PostgreSQL: a query wrapped in `prepared` runs as a named prepared statement,
// parsed and planned once per pooled connection; the others stay unnamed, so
// the planner still sees each call's values (report queries over skewed data).
// The hot paths use it (docs/decisions/105-progress-off-the-orm.md).
const PREPARED = Symbol("prepared");
type Prepared<O> = Compilable<O> & { readonly [PREPARED]: true };

/** Marks a query of fixed shape to be kept prepared on PostgreSQL's connections too. */
export function prepared<O>(query: Compilable<O>): Compilable<O> {
  const marked: Prepared<O> = { [PREPARED]: true, compile: () => query.compile() };
  return marked;
}

// An argument's place while a `statement` is built once.
class Slot {
  constructor(readonly index: number) {}
}

/**
 * A query of fixed shape for the hot paths, built and compiled once per
 * dialect: later calls only bind their values, and it is kept prepared as
 * with `prepared`. Every argument must be used as a value, never to choose
 * the shape (a Slot in place of a value would be seen as a test or a branch).
 */
export function statement<A extends unknown[], O>(
  build: (sql: Sql, ...args: A) => Compilable<O>,
): (sql: Sql, ...args: A) => Compilable<O> {
  const built = new Map<Dialect, { compiled: CompiledQuery<O>; binds: ({ arg: number } | { value: unknown })[] }>();
  return (sql, ...args) => {
    let entry = built.get(sql.dialect);
    if (!entry) {
      const compiled = build(sql, ...(args.map((_, i) => new Slot(i)) as A)).compile();
      const binds = compiled.parameters.map((p) => (p instanceof Slot ? { arg: p.index } : { value: p }));
      entry = { compiled, binds };
      built.set(sql.dialect, entry);
    }
    const { compiled, binds } = entry;
    const marked: Prepared<O> = {
      [PREPARED]: true,
      compile: () => ({ ...compiled, parameters: binds.map((b) => ("arg" in b ? args[b.arg] : b.value)) }),
    };
    return marked;
  };
}

// A statement's name is per connection; within this process one text always has one name.
const statementNames = new Map<string, string>();
function statementName(text: string): string {
  let name = statementNames.get(text);
  if (!name) {
    name = `th${statementNames.size}`;
    statementNames.set(text, name);
  }
  return name;
}

// ---------------------------------------------------------------- dialect helpers

type Nullable<T> = null extends T ? null : never;

/** `column IN (?, ?, ?)` for a short list: the planner sees how many there are and walks the index for each. */
export function inValues(ref: Expression<unknown>, values: readonly unknown[]): RawBuilder<SqlBool> {
  if (values.length === 0) return fragment<SqlBool>`1=0`;
  return fragment<SqlBool>`${ref} IN (${fragment.join(values.map((v) => fragment`${v}`))})`;
}

/** A long list as one parameter: `IN (SELECT value FROM json_each(?))` / `= ANY(?::text[])`. */
export function inList(sql: Sql, ref: Expression<string | null>, values: readonly string[]): RawBuilder<SqlBool> {
  return sql.dialect === "sqlite"
    ? fragment<SqlBool>`${ref} IN (SELECT value FROM json_each(${JSON.stringify(values)}))`
    : fragment<SqlBool>`${ref} = ANY(${values}::text[])`;
}

/** A long list of ids as a table to join or select from: `json_each(?)` / `unnest(?::text[])`, its column named `value`. */
export function listTable(sql: Sql, values: readonly string[]): RawBuilder<{ value: string }> {
  return sql.dialect === "sqlite"
    ? fragment`json_each(${JSON.stringify(values)})`
    : fragment`unnest(${values}::text[])`;
}

/** A stored DateTime column as YYYY-MM-DD. */
export function isoDateOf<T extends Date | string | null>(
  sql: Sql,
  ref: Expression<T>,
): RawBuilder<string | Nullable<T>> {
  return sql.dialect === "sqlite" ? fragment`substr(${ref}, 1, 10)` : fragment`to_char(${ref}, 'YYYY-MM-DD')`;
}

/** A stored DateTime column as an ISO 8601 instant that Date.parse reads the same anywhere. */
export function isoInstantOf<T extends Date | string | null>(
  sql: Sql,
  ref: Expression<T>,
): RawBuilder<string | Nullable<T>> {
  return sql.dialect === "sqlite" ? fragment`${ref}` : fragment`to_char(${ref}, 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;
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

/**
 * A typed query as SQL text and values for a connection this module does not
 * own: Prisma's, inside a `db.$transaction` whose locks it must share
 * (`tx.$queryRawUnsafe(text, ...values)`). Everything else runs through Sql.
 */
export function compileFor<O>(
  dialect: Dialect,
  build: (db: Kysely<DB>) => Compilable<O>,
): { text: string; values: unknown[] } {
  const compiled = build(BUILDERS[dialect]).compile();
  return { text: compiled.sql, values: compiled.parameters.map(dialect === "sqlite" ? sqliteValue : postgresValue) };
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

function conflictClause<T extends Table>(options: InsertManyOptions<T> | undefined): string {
  const columns = options?.skipConflictsOn;
  return columns?.length ? ` ON CONFLICT (${columns.map((c) => `"${c}"`).join(", ")}) DO NOTHING` : "";
}

class SqliteSql implements Sql {
  readonly dialect = "sqlite" as const;
  readonly db = BUILDERS.sqlite;
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
      // Imports touch indexes all over a large file; SQLite's default 2 MB page
      // cache thrashes. 16 MB wrote 200,000 people as fast as 64 MB, into an
      // empty roster and into one of 200,000, and peaked 50-70 MB lower
      // (decision 160): past that the OS's file cache serves the pages as well.
      conn.pragma("cache_size = -16384");
      // As Prisma's connection (app/utils/db.server.ts, decision 002): with WAL,
      // durable against a crash of the process without an fsync on every commit.
      conn.pragma("synchronous = NORMAL");
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
    const control = (text: string) => {
      const statement = this.writer.prepare(text);
      return () => void statement.run();
    };
    this.beginImmediate = control("BEGIN IMMEDIATE");
    this.commit = control("COMMIT");
    this.rollback = control("ROLLBACK");
  }

  // Prepared once (in the constructor): exec() would parse them again on every write.
  private readonly beginImmediate: () => void;
  private readonly commit: () => void;
  private readonly rollback: () => void;

  /** Runs `attempt` on the writer, waiting between turns of the event loop while another connection holds the write lock. */
  private async whenUnlocked<T>(attempt: () => T): Promise<T> {
    const deadline = Date.now() + WRITE_LOCK_WAIT_MS;
    for (let pause = 1; ; pause = Math.min(pause * 2, 25)) {
      try {
        return attempt();
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

  async all<O>(query: Query<O>): Promise<O[]> {
    const compiled = compile(query, this.db);
    // A read goes to the writer's connection when no transaction is open on
    // it: it sees only what is committed, as the reader would, and its page
    // cache is warm. The reader's cache is dropped whenever another
    // connection has committed since its last read (SQLite's WAL rule), so on
    // a busy server every read through it fetched its pages again.
    const conn = this.writer.inTransaction ? this.reader : this.writer;
    return this.prepare(conn, compiled.sql).all(...compiled.parameters.map(sqliteValue)) as O[];
  }

  async first<O>(query: Query<O>): Promise<O | undefined> {
    return (await this.all(query))[0];
  }

  /** One statement is its own transaction: no BEGIN and COMMIT around it, only the writer's lock. */
  async run(query: Query<unknown>): Promise<number> {
    const compiled = compile(query, this.db);
    const statement = this.prepare(this.writer, compiled.sql);
    const values = compiled.parameters.map(sqliteValue);
    const release = await this.mutex.lock();
    try {
      return await this.whenUnlocked(() => statement.run(...values).changes);
    } finally {
      release();
    }
  }

  async insertMany<T extends Table>(
    table: T,
    columns: readonly Column<T>[],
    rows: readonly (readonly unknown[])[],
    options?: InsertManyOptions<T>,
  ): Promise<number> {
    return this.transaction((tx) => tx.insertMany(table, columns, rows, options));
  }

  async transaction<T>(fn: (tx: Sql) => Promise<T>): Promise<T> {
    const release = await this.mutex.lock();
    try {
      await this.whenUnlocked(this.beginImmediate);
      try {
        const tx = new SqliteTx(this.writer, (conn, text) => this.prepare(conn, text));
        const result = await fn(tx);
        await tx.hooks.run(tx);
        this.commit();
        return result;
      } catch (error) {
        if (this.writer.inTransaction) this.rollback();
        throw error;
      }
    } finally {
      release();
    }
  }

  beforeCommit(): void {
    notInTransaction();
  }

  close() {
    this.writer.close();
    this.reader.close();
  }
}

class SqliteTx implements Sql {
  readonly dialect = "sqlite" as const;
  readonly db = BUILDERS.sqlite;
  readonly hooks = new CommitHooks();
  constructor(
    private readonly conn: Database.Database,
    private readonly prepare: (conn: Database.Database, text: string) => Database.Statement,
  ) {}

  async all<O>(query: Query<O>): Promise<O[]> {
    const compiled = compile(query, this.db);
    return this.prepare(this.conn, compiled.sql).all(...compiled.parameters.map(sqliteValue)) as O[];
  }

  async first<O>(query: Query<O>): Promise<O | undefined> {
    return (await this.all(query))[0];
  }

  async run(query: Query<unknown>): Promise<number> {
    const compiled = compile(query, this.db);
    return this.prepare(this.conn, compiled.sql).run(...compiled.parameters.map(sqliteValue)).changes;
  }

  async insertMany<T extends Table>(
    table: T,
    columns: readonly Column<T>[],
    rows: readonly (readonly unknown[])[],
    options?: InsertManyOptions<T>,
  ): Promise<number> {
    if (rows.length === 0) return 0;
    // One prepared statement run per row: in SQLite that is as fast as
    // multi-row VALUES (measured), and simpler.
    const statement = this.prepare(
      this.conn,
      `INSERT INTO "${table}" (${columns.map((c) => `"${c.name}"`).join(", ")}) VALUES (${columns.map(() => "?").join(", ")})${conflictClause(options)}`,
    );
    let changes = 0;
    for (const row of rows) changes += statement.run(...row.map(sqliteValue)).changes;
    return changes;
  }

  async transaction<T>(fn: (tx: Sql) => Promise<T>): Promise<T> {
    return fn(this);
  }

  beforeCommit(key: string, fn: (tx: Sql) => Promise<void>): void {
    this.hooks.add(key, fn);
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

type PgQuery = (text: string, params: unknown[], name?: string) => Promise<pg.QueryResult>;

async function pgInsertMany<T extends Table>(
  query: PgQuery,
  table: T,
  columns: readonly Column<T>[],
  rows: readonly (readonly unknown[])[],
  options: InsertManyOptions<T> | undefined,
): Promise<number> {
  let changes = 0;
  for (let start = 0; start < rows.length; start += PG_CHUNK) {
    const part = rows.slice(start, start + PG_CHUNK);
    const arrays = columns.map((_, i) => part.map((row) => postgresValue(row[i])));
    const select = columns.map((c, i) => (PG_ENUMS.has(c.type) ? `u.c${i}::"${c.type}"` : `u.c${i}`)).join(", ");
    const text =
      `INSERT INTO "${table}" (${columns.map((c) => `"${c.name}"`).join(", ")}) ` +
      `SELECT ${select} FROM unnest(${columns.map((c, i) => `$${i + 1}::${PG_ARRAY_TYPE[c.type]}`).join(", ")}) ` +
      `AS u(${columns.map((_, i) => `c${i}`).join(", ")})${conflictClause(options)}`;
    changes += (await query(text, arrays)).rowCount ?? 0;
  }
  return changes;
}

async function pgRows<O>(query: PgQuery, built: Query<O>): Promise<pg.QueryResult> {
  const compiled = compile(built, BUILDERS.postgresql);
  const name = typeof built === "object" && PREPARED in built ? statementName(compiled.sql) : undefined;
  return query(compiled.sql, [...compiled.parameters].map(postgresValue), name);
}

class PostgresSql implements Sql {
  readonly dialect = "postgresql" as const;
  readonly db = BUILDERS.postgresql;
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

  private readonly query: PgQuery = (text, params, name) => this.pool.query({ text, values: params, name });

  async all<O>(query: Query<O>): Promise<O[]> {
    return (await pgRows(this.query, query)).rows as O[];
  }

  async first<O>(query: Query<O>): Promise<O | undefined> {
    return (await this.all(query))[0];
  }

  async run(query: Query<unknown>): Promise<number> {
    return (await pgRows(this.query, query)).rowCount ?? 0;
  }

  async insertMany<T extends Table>(
    table: T,
    columns: readonly Column<T>[],
    rows: readonly (readonly unknown[])[],
    options?: InsertManyOptions<T>,
  ): Promise<number> {
    return this.transaction((tx) => tx.insertMany(table, columns, rows, options));
  }

  async transaction<T>(fn: (tx: Sql) => Promise<T>): Promise<T> {
    const client = await this.pool.connect();
    try {
      await client.query("BEGIN");
      const tx = new PostgresTx(client);
      const result = await fn(tx);
      await tx.hooks.run(tx);
      await client.query("COMMIT");
      return result;
    } catch (error) {
      await client.query("ROLLBACK").catch(() => {});
      throw error;
    } finally {
      client.release();
    }
  }

  beforeCommit(): void {
    notInTransaction();
  }

  async close() {
    await this.pool.end();
  }
}

class PostgresTx implements Sql {
  readonly dialect = "postgresql" as const;
  readonly db = BUILDERS.postgresql;
  readonly hooks = new CommitHooks();
  constructor(private readonly client: pg.PoolClient) {}

  private readonly query: PgQuery = (text, params, name) => this.client.query({ text, values: params, name });

  async all<O>(query: Query<O>): Promise<O[]> {
    return (await pgRows(this.query, query)).rows as O[];
  }

  async first<O>(query: Query<O>): Promise<O | undefined> {
    return (await this.all(query))[0];
  }

  async run(query: Query<unknown>): Promise<number> {
    return (await pgRows(this.query, query)).rowCount ?? 0;
  }

  async insertMany<T extends Table>(
    table: T,
    columns: readonly Column<T>[],
    rows: readonly (readonly unknown[])[],
    options?: InsertManyOptions<T>,
  ): Promise<number> {
    if (rows.length === 0) return 0;
    return pgInsertMany(this.query, table, columns, rows, options);
  }

  async transaction<T>(fn: (tx: Sql) => Promise<T>): Promise<T> {
    return fn(this);
  }

  beforeCommit(key: string, fn: (tx: Sql) => Promise<void>): void {
    this.hooks.add(key, fn);
  }

  async copyFrom(table: string, columns: readonly string[], rows: Iterable<readonly unknown[]>): Promise<number> {
    const stream = this.client.query(
      copyFromStdin(`COPY "${table}" (${columns.map((c) => `"${c}"`).join(", ")}) FROM STDIN`),
    );
    await pipeline(Readable.from(copyLines(rows)), stream);
    return stream.rowCount;
  }
}

// ---------------------------------------------------------------- COPY (PostgreSQL)

/**
 * One value as a field of COPY's text format: `\N` is NULL, and a backslash,
 * tab, newline or carriage return in a string is escaped, so a cell holding
 * any of them (or the two characters `\N`) arrives as written.
 */
export function copyField(value: unknown): string {
  if (value === null || value === undefined) return "\\N";
  if (value instanceof Date) return value.toISOString();
  if (typeof value === "boolean") return value ? "t" : "f";
  const text = String(value);
  return /[\\\t\n\r]/.test(text) ? text.replace(/[\\\t\n\r]/g, (c) => COPY_ESCAPES[c]!) : text;
}

const COPY_ESCAPES: Record<string, string> = { "\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r" };

// Lines are sent in chunks of about this many characters.
const COPY_CHUNK_CHARS = 256 * 1024;

function* copyLines(rows: Iterable<readonly unknown[]>): Generator<string> {
  let chunk = "";
  for (const row of rows) {
    let line = "";
    for (let i = 0; i < row.length; i++) line += (i ? "\t" : "") + copyField(row[i]);
    chunk += line + "\n";
    if (chunk.length >= COPY_CHUNK_CHARS) {
      yield chunk;
      chunk = "";
    }
  }
  if (chunk) yield chunk;
}

/**
 * Streams rows into a table with `COPY ... FROM STDIN`, inside the
 * transaction `tx` (PostgreSQL only): the bulk path of imports into a staging
 * table (docs/decisions/130-roster-copy.md). The table is named as given, so
 * it may be a temporary one the schema does not know; columns in row order.
 * Rows are read from the iterable as the connection takes them. Returns the
 * number of rows copied.
 */
export async function copyFrom(
  tx: Sql,
  table: string,
  columns: readonly string[],
  rows: Iterable<readonly unknown[]>,
): Promise<number> {
  if (!(tx instanceof PostgresTx)) throw new Error("copyFrom runs inside a PostgreSQL transaction");
  return tx.copyFrom(table, columns, rows);
}

// ---------------------------------------------------------------- reports' reads (SQLite)

/** Worker threads reading for reports: two cores here, and the web server's thread needs one. */
export const REPORT_READERS = 2;

/**
 * The Sql of reports on SQLite: `all` and `first` run in the read pool's
 * worker threads, with the same parameter values as `SqliteSql.all` and its
 * rows as they come (numbers, strings, null: no report reads a blob). Writes
 * and transactions go to the connection's own writer, unchanged.
 */
export class PooledSqliteReader implements Sql {
  readonly dialect = "sqlite" as const;
  readonly db = BUILDERS.sqlite;
  constructor(
    private readonly writes: SqliteSql,
    readonly pool: SqliteReadPool,
  ) {}

  async all<O>(query: Query<O>): Promise<O[]> {
    const compiled = compile(query, this.db);
    return (await this.pool.all(compiled.sql, compiled.parameters.map(sqliteValue))) as O[];
  }

  async first<O>(query: Query<O>): Promise<O | undefined> {
    return (await this.all(query))[0];
  }

  run(query: Query<unknown>): Promise<number> {
    return this.writes.run(query);
  }

  insertMany<T extends Table>(
    table: T,
    columns: readonly Column<T>[],
    rows: readonly (readonly unknown[])[],
    options?: InsertManyOptions<T>,
  ): Promise<number> {
    return this.writes.insertMany(table, columns, rows, options);
  }

  transaction<T>(fn: (tx: Sql) => Promise<T>): Promise<T> {
    return this.writes.transaction(fn);
  }

  beforeCommit(): void {
    notInTransaction();
  }
}

// ---------------------------------------------------------------- the connection

type Connection = { url: string; sql: SqliteSql | PostgresSql; reports?: Sql };

declare global {
  var __sql: Connection | undefined;
}

export function createSql(databaseUrl: string): SqliteSql | PostgresSql {
  return databaseUrl.startsWith("file:") ? new SqliteSql(sqliteFilePath(databaseUrl)) : new PostgresSql(databaseUrl);
}

function connection(): Connection {
  const url = getEnv().DATABASE_URL;
  if (globalThis.__sql?.url !== url) {
    const previous = globalThis.__sql;
    globalThis.__sql = { url, sql: createSql(url) };
    if (previous?.reports instanceof PooledSqliteReader) void previous.reports.pool.close();
  }
  return globalThis.__sql;
}

/** The process's coverage connection to DATABASE_URL, opened on first use. */
export function getSql(): Sql {
  return connection().sql;
}

/**
 * The Sql for reports' reads (docs/decisions/140-reports-off-the-event-loop.md):
 * on SQLite a pool of worker threads with read-only connections, so a long
 * report never holds the web server's thread; on PostgreSQL the connection
 * itself, whose queries never did.
 */
export function getReportSql(): Sql {
  const open = connection();
  if (!open.reports) {
    open.reports =
      open.sql instanceof SqliteSql
        ? new PooledSqliteReader(open.sql, new SqliteReadPool(sqliteFilePath(open.url), REPORT_READERS))
        : open.sql;
  }
  return open.reports;
}

/** Stops the reports' worker threads (a server shutting down); the next report starts them again. */
export async function closeReportReaders() {
  const open = globalThis.__sql;
  const reports = open?.reports;
  if (open && reports instanceof PooledSqliteReader) {
    open.reports = undefined;
    await reports.pool.close();
  }
}

export async function closeSql() {
  const open = globalThis.__sql;
  globalThis.__sql = undefined;
  if (open?.reports instanceof PooledSqliteReader) await open.reports.pool.close();
  await open?.sql.close();
}

/** Numbers from aggregates: PostgreSQL returns COUNT/SUM as strings (bigint). */
export function num(value: unknown): number {
  if (value === null || value === undefined) return 0;
  return typeof value === "number" ? value : Number(value);
}
