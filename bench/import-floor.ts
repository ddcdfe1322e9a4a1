// The floor under a roster import (issue 13): how long the database alone
// takes to write what a 200,000-row import writes, with none of the app
// around it (no file, no parsing, no checks, no ORM, no progress):
//   npm run bench:import-floor [-- --db sqlite|postgresql|all --rows 200000
//                                  --pg-url postgresql://postgres@127.0.0.1:5432/bench_import_floor]
// 1. The import runs once, as `npm run roster:import` runs it, into a scratch
//    database (bench/generate-coverage.ts's roster, as bench:import).
// 2. SQLite: its rows (people, memberships, facts) are read back and written
//    again with bare better-sqlite3 prepared statements into a copy of the
//    database as it was before the import (same schema, same reference rows,
//    the app's pragmas): in one transaction, then in transactions of 20,000
//    people as the command line writes them. A third run gives the rows the
//    import created ids of 2-4 characters instead of 27: what integer or
//    short keys would save (not a figure of the app, an estimate for a schema
//    decision).
// 3. PostgreSQL: the rows are copied aside inside the server, the roster
//    tables emptied, and the rows written back with INSERT ... SELECT in one
//    transaction: no client, no network, no COPY parsing. A second run does
//    the same without foreign-key checks (session_replication_role, a
//    superuser's setting the app never uses) to show what they cost.
// A floor has no aim of its own; the import's (≤ 8 s SQLite, ≤ 10 s
// PostgreSQL) is named beside it: a floor above it means no code of the app
// can meet it with this schema on this machine. Read the figures beside
// `uptime`'s load.
import { spawnSync } from "node:child_process";
import { copyFileSync, mkdirSync, rmSync } from "node:fs";
import { loadavg } from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import Database from "better-sqlite3";
import pg from "pg";
import { figure } from "./figures";
import { writeRosterCsv } from "./generate-coverage";
import { npmScriptNodeArgs } from "./proc";

const { values } = parseArgs({
  options: {
    db: { type: "string", default: "all" },
    rows: { type: "string", default: "200000" },
    "pg-url": { type: "string", default: "postgresql://postgres@127.0.0.1:5432/bench_import_floor" },
  },
});
const rows = Number(values.rows);
if (!Number.isInteger(rows) || rows < 1000) throw new Error("--rows is a whole number ≥ 1000");
const which = values.db === "all" ? ["sqlite", "postgresql"] : [values.db!];
if (which.some((db) => db !== "sqlite" && db !== "postgresql")) throw new Error("--db is sqlite, postgresql or all");

const ROSTER_TABLES = ["RosterPerson", "GroupMembership", "CoverageFact"] as const;
/** People per transaction when the command line writes SQLite (LONGEST_SLICE in imports.server.ts). */
const SLICE = 20_000;
const load = () => loadavg()[0]!.toFixed(2);

const scratch = path.resolve("bench/out/import-floor");
rmSync(scratch, { recursive: true, force: true });
mkdirSync(scratch, { recursive: true });
const file = path.join(scratch, `roster-${rows}.csv`);
await writeRosterCsv(file, { persons: rows, accounts: rows * 5, progress: 0 });

/** The app's own import, as an operator runs it: migrates, seeds the reference data, imports. */
function importWithTheApp(databaseUrl: string): number {
  const began = performance.now();
  const run = spawnSync(process.execPath, [...npmScriptNodeArgs("roster:import"), file], {
    env: { ...process.env, DATABASE_URL: databaseUrl, NODE_ENV: "production", MEDIA_DIR: path.join(scratch, "media") },
    encoding: "utf8",
  });
  if (run.status !== 0) throw new Error(`the import failed (${run.status}):\n${run.stdout}\n${run.stderr}`);
  const own = /\((\d+(?:\.\d+)?) s\)/.exec(run.stderr);
  return own ? Number(own[1]) : (performance.now() - began) / 1000;
}

const seconds = (since: number) => Number(((performance.now() - since) / 1000).toFixed(2));

// ---------------------------------------------------------------- SQLite

function sqliteFloor() {
  const imported = path.join(scratch, "imported.db");
  const took = importWithTheApp(`file:${imported}`);
  console.log(`SQLite: the app's import took ${took} s (load ${load()})`);

  const source = new Database(imported, { readonly: true });
  const data = new Map<string, { columns: string[]; rows: unknown[][] }>();
  for (const table of ROSTER_TABLES) {
    const all = source.prepare(`SELECT * FROM "${table}" ORDER BY rowid`).raw();
    data.set(table, { columns: all.columns().map((c) => c.name), rows: all.all() as unknown[][] });
  }
  source.close();
  const people = data.get("RosterPerson")!.rows;
  if (people.length !== rows) throw new Error(`the import wrote ${people.length} people, not ${rows}`);

  // The database before the import: the same file with the roster taken out.
  // The agencies the roster named stay: 1,000-odd rows, not what costs.
  const before = path.join(scratch, "before.db");
  copyFileSync(imported, before);
  const empty = new Database(before);
  empty.exec(`DELETE FROM "CoverageFact"; DELETE FROM "GroupMembership"; DELETE FROM "RosterPerson"; VACUUM;`);
  empty.close();

  let personIndex = new Map(people.map((row, i) => [row[0] as string, i]));
  /** A table's rows of people [from, to): memberships and facts follow their people's order. */
  const ofPeople = (table: string, from: number, to: number) => {
    const { columns, rows } = data.get(table)!;
    if (table === "RosterPerson") return rows.slice(from, to);
    const at = columns.indexOf("personId");
    return rows.filter((row) => {
      const i = personIndex.get(row[at] as string)!;
      return i >= from && i < to;
    });
  };
  const slices = (size: number) => {
    const out: Map<string, unknown[][]>[] = [];
    for (let from = 0; from < rows; from += size)
      out.push(new Map(ROSTER_TABLES.map((t) => [t, ofPeople(t, from, Math.min(rows, from + size))])));
    return out;
  };

  const write = (parts: Map<string, unknown[][]>[]) => {
    const target = path.join(scratch, "floor.db");
    copyFileSync(before, target);
    const conn = new Database(target);
    // As app/db/sql.server.ts sets them (WAL is the file's, set by the migration).
    conn.pragma("foreign_keys = ON");
    conn.pragma("cache_size = -65536");
    conn.pragma("synchronous = NORMAL");
    const statements = ROSTER_TABLES.map((table) => {
      const { columns } = data.get(table)!;
      const names = columns.map((c) => `"${c}"`).join(", ");
      return [
        table,
        conn.prepare(`INSERT INTO "${table}" (${names}) VALUES (${columns.map(() => "?").join(", ")})`),
      ] as const;
    });
    const began = performance.now();
    for (const part of parts)
      conn.transaction(() => {
        for (const [table, statement] of statements) for (const row of part.get(table)!) statement.run(row);
      })();
    const took = seconds(began);
    conn.close();
    rmSync(target, { force: true });
    for (const suffix of ["-wal", "-shm"]) rmSync(target + suffix, { force: true });
    return took;
  };

  // A floor has no aim of its own: the import's is named beside it.
  const on = (how: string) => `SQLite, ${rows.toLocaleString("en")} people, ${how}`;
  figure({
    name: "roster write floor",
    value: write(slices(rows)),
    unit: "s",
    aim: null,
    on: on("one transaction; the import's aim ≤ 8 s"),
  });
  figure({
    name: "roster write floor",
    value: write(slices(SLICE)),
    unit: "s",
    aim: null,
    on: on(`${SLICE.toLocaleString("en")} people a transaction; the import's aim ≤ 8 s`),
  });

  // Short ids for the people and memberships the import created, wherever they are referred to
  // (the agencies it created keep theirs: a thousand rows, a small part of the references).
  const short = new Map<string, string>();
  for (const row of [...people, ...data.get("GroupMembership")!.rows])
    short.set(row[0] as string, (short.size + 1).toString(36));
  for (const table of ROSTER_TABLES)
    for (const row of data.get(table)!.rows)
      for (let i = 0; i < row.length; i++) {
        const id = short.get(row[i] as string);
        if (id !== undefined) row[i] = id;
      }
  personIndex = new Map(people.map((row, i) => [row[0] as string, i]));
  figure({
    name: "roster write floor",
    value: write(slices(rows)),
    unit: "s",
    aim: null,
    on: on("one transaction, ids of 2-4 characters (an estimate)"),
  });
  console.log(`  load average ${load()}`);
}

// ---------------------------------------------------------------- PostgreSQL

async function postgresFloor() {
  const url = new URL(values["pg-url"]!);
  const admin = new pg.Client({ connectionString: Object.assign(new URL(url), { pathname: "/postgres" }).toString() });
  await admin.connect();
  const name = url.pathname.slice(1);
  await admin.query(`DROP DATABASE IF EXISTS "${name}"`);
  await admin.query(`CREATE DATABASE "${name}"`);
  await admin.end();

  const took = importWithTheApp(url.toString());
  console.log(`PostgreSQL: the app's import took ${took} s (load ${load()})`);

  const client = new pg.Client({ connectionString: url.toString() });
  await client.connect();
  try {
    for (const table of ROSTER_TABLES) await client.query(`CREATE TABLE "floor_${table}" AS TABLE "${table}"`);
    const count = await client.query<{ n: string }>(`SELECT count(*) AS n FROM "floor_RosterPerson"`);
    if (Number(count.rows[0]!.n) !== rows) throw new Error(`the import wrote ${count.rows[0]!.n} people, not ${rows}`);

    const write = async (withoutForeignKeys: boolean) => {
      // TrainingRecord refers to the people too (empty here: a roster alone was imported).
      await client.query(`TRUNCATE "CoverageFact", "GroupMembership", "TrainingRecord", "RosterPerson"`);
      // Dirty pages of the truncation and the copies are not the write's to pay.
      await client.query("CHECKPOINT");
      const began = performance.now();
      await client.query("BEGIN");
      if (withoutForeignKeys) await client.query("SET LOCAL session_replication_role = replica");
      for (const table of ROSTER_TABLES) await client.query(`INSERT INTO "${table}" SELECT * FROM "floor_${table}"`);
      await client.query("COMMIT");
      return seconds(began);
    };
    const on = (how: string) => `PostgreSQL, ${rows.toLocaleString("en")} people, ${how}`;
    const settings = await client.query<{ name: string; setting: string; unit: string | null }>(
      `SELECT name, setting, unit FROM pg_settings WHERE name IN ('shared_buffers', 'max_wal_size', 'wal_buffers')`,
    );
    console.log(
      `  server settings: ${settings.rows.map((s) => `${s.name} ${s.setting}${s.unit ? ` × ${s.unit}` : ""}`).join(", ")}`,
    );
    figure({
      name: "roster write floor",
      value: await write(false),
      unit: "s",
      aim: null,
      on: on("INSERT ... SELECT in the server, one transaction; the import's aim ≤ 10 s"),
    });
    figure({
      name: "roster write floor",
      value: await write(true),
      unit: "s",
      aim: null,
      on: on("the same without foreign-key checks (not for the app)"),
    });
    console.log(`  load average ${load()}`);
  } finally {
    await client.end();
  }
}

console.log(`Roster write floors for ${rows.toLocaleString("en")} rows; load average ${load()}`);
if (which.includes("sqlite")) sqliteFloor();
if (which.includes("postgresql")) await postgresFloor();
rmSync(scratch, { recursive: true, force: true });
