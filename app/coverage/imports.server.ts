import v8 from "node:v8";
import { z } from "zod";
import { db } from "~/utils/db.server";
import { parseStoredJsonOr } from "~/utils/stored-json";
import { parseIsoDay } from "./dates";
import { auditImport } from "./import-audit.server";
import type { Actor } from "./scope.server";
import { fragment, getSql, type Column, type Sql } from "~/db/sql.server";
import { tableBatches } from "./read-table-file.server";
import { ImportFileError, EXTRA_CELLS, type TableRow, type TableSource } from "./table-file.server";
import { logger } from "~/utils/logger.server";
import { RowStage } from "./row-stage.server";
import { requestsInFlight, requestsStarted } from "~/utils/requests-in-flight.server";

// What roster and training imports share: reading the file, checking every
// row before anything is written, the strict switch, writing in chunks with
// progress, and the DataImport row that records the outcome.

export type ImportKind = "ROSTER" | "TRAINING";

/** A rejected row: its spreadsheet row number, the column, a reason key under "coverage:reject.". */
export type Reject = {
  row: number;
  field: string;
  reason: string;
  value: string;
  params?: Record<string, string | number>;
};

export type ImportCounts = { created: number; updated: number; unchanged: number };

/** `waiting`: for another import to finish (PostgreSQL runs one at a time; writeAsChecked). */
export type ImportPhase = "waiting" | "reading" | "checking" | "writing" | "done";
/** `total` 0: not known yet (rows are checked as the file is read, before its end). */
export type ImportProgress = { phase: ImportPhase; done: number; total: number };

/** The message key (under "coverage:importResult.phase.") that says where an import is. */
export function progressKey(progress: ImportProgress): string {
  // Checking, the file's length is not known before its end: so far, or (no
  // row checked yet) still reading; never "0 of 0".
  if (progress.phase === "checking" && progress.total === 0) return progress.done > 0 ? "checkingSoFar" : "reading";
  return progress.phase;
}

export type ImportContext = {
  /** The DataImport row: training records name it as their source. */
  importId: string;
  actor: Actor;
  sql: Sql;
  today: number;
  /** Called every few thousand rows while checking: reports progress and lets the server answer other requests. */
  checked: (rows: number) => Promise<void>;
};

/** Rows checked between two calls of ImportContext.checked: a few milliseconds of work. */
export const CHECK_STEP = 1_000;

// An import works for at most WORK_MS at a stretch, then gives way: one turn
// of the event loop (setImmediate) lets a waiting request start, but a page
// takes several turns (its queries, rendering, writing the answer), and each
// would otherwise wait behind the next step of the import. So it pauses, and
// keeps giving way while requests are being answered or turns of the loop
// find work to do; at most GIVE_WAY_MAX_MS, so a busy server still sees the
// import finish.
//
// WORK_MS is what a request may have to wait for while requests come. While
// none has come for a while, the stretch grows (workStretchMs): a quarter of
// the quiet time, up to QUIET_WORK_MAX_MS. An idle server imports nearly as
// fast as the command line; the first request after a quiet spell waits at
// most a quarter of that spell (a second at most); on a server asked
// something every 100 ms the stretch stays at WORK_MS. Decision 160.
const WORK_MS = 25;
const QUIET_WORK_MAX_MS = 1_000;
const QUIET_SHARE = 4;
const PAUSE_MS = 5;
const GIVE_WAY_MAX_MS = 250;
let workingSince = performance.now();

/** How long an import in the web process may work at a stretch, after `quietMs` with no request begun or in flight. */
export function workStretchMs(quietMs: number): number {
  return Math.min(QUIET_WORK_MAX_MS, Math.max(WORK_MS, Math.floor(quietMs / QUIET_SHARE)));
}

let quietSince = performance.now();
let startedBefore: number | null = null;

/**
 * How long this process has had no request begun or in flight, as far as the
 * import can tell: requests that arrive while it works are counted at its
 * next pause, so each call covers the work and the pause before it. 0 where
 * requests are not counted (the dev server, tests): no telling.
 */
function quietMs(): number {
  const now = performance.now();
  const started = requestsStarted();
  if (started === null) return 0;
  if (started !== startedBefore || requestsInFlight() > 0) {
    startedBefore = started;
    quietSince = now;
  }
  return now - quietSince;
}

const immediate = () => new Promise<void>((resolve) => setImmediate(resolve));

// Whether this process answers requests. The command line does not: nothing
// waits on its event loop, so it never pauses for one, and on SQLite it writes
// longer slices (sliceOptions). Decision 160.
let serving = true;

/** The command line's processes call this once: no request waits on their event loop. */
export function servesNoRequests() {
  serving = false;
}

/**
 * While an import runs in the web server, V8 grows the heap by a quarter over
 * what the last full collection kept, instead of its default factor (up to
 * about twice): an import's rows die young by the hundred thousand, and the
 * default let the server's old generation fill with them — a 200,000-row
 * SQLite upload peaked at 475–519 MB, 350–375 MB with this. Pages pay about a
 * third more CPU meanwhile (more collections), so the default comes back when
 * the last import ends. The command line sets it on its command line for its
 * whole life (package.json) and is left alone. V8 reads the flag each time it
 * sets the heap's next limit (decision 160, sixth session).
 */
export const IMPORT_HEAP_GROWING_PERCENT = 25;
let importsInProcess = 0;

function tightenHeapWhileImporting(): () => void {
  if (!serving) return () => {};
  if (importsInProcess++ === 0) v8.setFlagsFromString(`--heap-growing-percent=${IMPORT_HEAP_GROWING_PERCENT}`);
  return () => {
    // 0: V8's own growing factor again.
    if (--importsInProcess === 0) v8.setFlagsFromString("--heap-growing-percent=0");
  };
}

/**
 * Imports run in the web server's process, and SQLite calls are synchronous:
 * awaiting them alone never lets the server read a request. Between steps of
 * the work, this gives pending requests a turn, and after WORK_MS of work
 * lets them be answered first.
 */
export async function yieldToServer(): Promise<void> {
  if (!serving || performance.now() - workingSince < workStretchMs(quietMs())) return immediate();
  const start = performance.now();
  await new Promise((resolve) => setTimeout(resolve, PAUSE_MS));
  while (performance.now() - start < GIVE_WAY_MAX_MS) {
    // Requests being answered go first, though they may be waiting on
    // something else (a query, a file) and leave the loop idle a moment.
    if (requestsInFlight() > 0) {
      await new Promise((resolve) => setTimeout(resolve, 2));
      continue;
    }
    const turn = performance.now();
    await immediate();
    // A turn that took no time found nothing waiting.
    if (performance.now() - turn < 1) break;
  }
  workingSince = performance.now();
}

/**
 * Writes an import's accepted rows a group at a time, and adds up the counts:
 * `write` for each group, in the file's order, then `end` once. A group's
 * last rows may wait for the next group or the end, to fill a slice.
 */
export type GroupWriter<Row> = { write(rows: Row[]): Promise<void>; end(): Promise<void>; counts: ImportCounts };

/**
 * How a kind of import checks and writes its rows, in one of two ways:
 * - `check` then `write`: every accepted row is collected, then written in
 *   slices (the training import);
 * - `asChecked`: the accepted rows come a group at a time, and a writer takes
 *   them a group at a time (the roster import). On PostgreSQL each group is
 *   written as soon as it is checked, inside the import's one transaction
 *   (writeAsChecked); on SQLite every row is still checked first, and the
 *   groups wait on disk meanwhile, not in memory (writeStaged).
 */
export type Importer<Row> = {
  kind: ImportKind;
  columns: { required: readonly string[]; optional: readonly string[] };
} & (
  | {
      /** Checks every row, the file's batches as the worker parses them; nothing is written. */
      check(batches: AsyncIterable<TableRow[]>, ctx: ImportContext, rejects: RejectList): Promise<Row[]>;
      /** Writes accepted rows, a chunk per transaction; reports rows handled. */
      write(rows: Row[], ctx: ImportContext, onWritten: (rows: number) => void): Promise<ImportCounts>;
    }
  | {
      /**
       * `check` yields the accepted rows a group at a time (values a worker
       * thread could be sent: SQLite stages them so); `writer` writes groups to `tx` (the
       * import's one transaction on PostgreSQL, the database on SQLite).
       */
      asChecked: {
        check(batches: AsyncIterable<TableRow[]>, ctx: ImportContext, rejects: RejectList): AsyncIterable<Row[]>;
        writer(tx: Sql, onWritten: (rows: number) => void): GroupWriter<Row>;
      };
    }
);

export type ImportOutcome = {
  importId: string;
  status: "DONE" | "FAILED";
  /** Why nothing was written: a key under "coverage:file." */
  failure: { reason: string; params: Record<string, string | number> } | null;
  total: number;
  accepted: number;
  /** Rows with at least one reject. */
  rejected: number;
  counts: ImportCounts;
  /** Every reject found (a row may have several), and how many of each reason. */
  rejectCount: number;
  rejectProblems: Record<string, number>;
};

/** Rejects per stored page: a page is a few dozen kilobytes, whatever the file. */
export const REJECT_PAGE_SIZE = 500;
/**
 * Rejects kept per import. All are counted; past this many a file of bad rows
 * has said what is wrong with it, and keeping 450,000 more would only cost
 * the database room and the import time.
 */
export const REJECTS_KEPT = 100_000;

export type RejectPageStore = (page: number, rejects: Reject[]) => Promise<void>;

/**
 * The rejects of one import as they are found: counted, and the first
 * `keep` of them handed to `store` a page at a time, so memory holds at most
 * one check step's worth whatever the file.
 */
export class RejectList {
  private buffer: Reject[] = [];
  private readonly rows = new Set<number>();
  private stored = 0;
  private pages = 0;
  count = 0;
  readonly problems: Record<string, number> = {};

  constructor(
    private readonly store: RejectPageStore,
    private readonly keep = REJECTS_KEPT,
  ) {}

  add(row: number, field: string, reason: string, value: string, params?: Record<string, string | number>) {
    this.count++;
    this.problems[reason] = (this.problems[reason] ?? 0) + 1;
    this.rows.add(row);
    if (this.stored + this.buffer.length < this.keep) {
      this.buffer.push({ row, field, reason, value: value.slice(0, 200), ...(params ? { params } : {}) });
    }
  }

  /** Drops every reject found: the file they were found in was refused. */
  forget() {
    this.buffer = [];
    this.rows.clear();
    this.count = 0;
    for (const reason of Object.keys(this.problems)) delete this.problems[reason];
  }

  has(row: number): boolean {
    return this.rows.has(row);
  }

  get rowCount(): number {
    return this.rows.size;
  }

  /** Stores every full page; with `all`, the last, partial one too. */
  async flush(all = false): Promise<void> {
    while (this.buffer.length >= REJECT_PAGE_SIZE || (all && this.buffer.length > 0)) {
      const page = this.buffer.splice(0, REJECT_PAGE_SIZE);
      await this.store(++this.pages, page);
      this.stored += page.length;
    }
  }
}

const PAGE_COLUMNS: Column<"ImportRejectPage">[] = [
  { name: "importId", type: "text" },
  { name: "page", type: "int" },
  { name: "count", type: "int" },
  { name: "rejects", type: "text" },
];

function rejectPageStore(sql: Sql, importId: string): RejectPageStore {
  return async (page, rejects) => {
    // A page is its own short transaction: let waiting requests go first.
    await yieldToServer();
    await sql.insertMany("ImportRejectPage", PAGE_COLUMNS, [
      [importId, page, rejects.length, serializeRejects(rejects)],
    ]);
  };
}

/** Rejects a row whose cells run past the header. Returns false if it did. */
export function checkExtraCells(row: TableRow, rejects: RejectList): boolean {
  if (!row.cells[EXTRA_CELLS]) return true;
  rejects.add(row.row, "*", "extraCells", "");
  return false;
}

/** Records zod's complaints about a row against their columns. */
export function addZodRejects(row: TableRow, error: z.ZodError, rejects: RejectList) {
  for (const issue of error.issues) {
    const field = String(issue.path[0] ?? "*");
    rejects.add(
      row.row,
      field,
      issue.message.startsWith("reject.") ? issue.message.slice(7) : "invalid",
      row.cells[field] ?? "",
    );
  }
}

// Zod pieces shared by the row schemas (cells arrive trimmed); messages are
// reject reasons. Plain checks without transforms keep a 200,000-row file fast.
export const requiredText = (max: number) => z.string().min(1, "reject.required").max(max, "reject.tooLong");
export const optionalText = (max: number) => z.string().max(max, "reject.tooLong");
export const isoDate = z.iso.date("reject.date");
export const optionalIsoDate = z.union([z.literal(""), isoDate]);

/** The day of a date cell that passed isoDate; null for an empty cell. */
export function dayOfCell(value: string): number | null {
  return value === "" ? null : parseIsoDay(value);
}

// ---------------------------------------------------------------- running

type RunInput = {
  importId: string;
  fileName: string;
  /** The bytes, or the job's file on disk: the worker reads it there, so the main thread never holds the file. */
  source: TableSource;
  strict: boolean;
  actor: Actor;
  today: number;
  /** Rejects kept in pages (tests make it small). */
  rejectsKept?: number;
  /** How long a PostgreSQL import waits for another to finish (IMPORTS_LOCK_WAIT_MS; tests make it short). */
  lockWaitMs?: number;
};

/** Reads, checks and (unless refused) writes one file, keeping its DataImport row up to date. */
export async function runImport<Row>(
  importer: Importer<Row>,
  input: RunInput,
  onProgress: (progress: ImportProgress) => void = () => {},
): Promise<ImportOutcome> {
  const release = tightenHeapWhileImporting();
  try {
    return await checkAndWrite(importer, input, onProgress);
  } finally {
    release();
  }
}

async function checkAndWrite<Row>(
  importer: Importer<Row>,
  input: RunInput,
  onProgress: (progress: ImportProgress) => void,
): Promise<ImportOutcome> {
  const { importId } = input;
  const report = onProgress;
  let total = 0;
  const ctx: ImportContext = {
    importId,
    actor: input.actor,
    sql: getSql(),
    today: input.today,
    checked: async (rows) => {
      // The file's length is not known before its end: total 0 says so.
      report({ phase: "checking", done: rows, total: 0 });
      await yieldToServer();
      await rejects.flush();
    },
  };
  const rejects = new RejectList(rejectPageStore(ctx.sql, importId), input.rejectsKept);
  const outcome: ImportOutcome = {
    importId,
    status: "FAILED",
    failure: null,
    total: 0,
    accepted: 0,
    rejected: 0,
    counts: { created: 0, updated: 0, unchanged: 0 },
    rejectCount: 0,
    rejectProblems: {},
  };
  // Until every row is checked, a refusal of the file (a limit crossed at its
  // end) discards the rejects of the rows before: the file was not read.
  let checkedAll = false;
  try {
    // A resumed import starts its reject list again.
    await ctx.sql.run(ctx.sql.db.deleteFrom("ImportRejectPage").where("importId", "=", importId));
    report({ phase: "reading", done: 0, total: 0 });
    // Rows are checked as the worker parses them (decision 160): only the
    // accepted rows are kept, never the file's. Its length is known at its end.
    const counted = async function* () {
      for await (const batch of tableBatches(input.fileName, input.source, importer.columns)) {
        total += batch.length;
        yield batch;
      }
    };
    // Every row is checked: the file's length is known, its rejects are kept,
    // and a strict import with a reject stops here (false), nothing written.
    const fileChecked = async (): Promise<boolean> => {
      checkedAll = true;
      outcome.total = total;
      await db.dataImport.update({ where: { id: importId }, data: { totalRows: total } });
      await rejects.flush(true);
      outcome.rejected = rejects.rowCount;
      if (input.strict && rejects.rowCount > 0) {
        outcome.failure = { reason: "strictRefused", params: { rejected: rejects.rowCount } };
        return false;
      }
      return true;
    };
    let written = 0;
    let toWrite = 0;
    let lastSaved = 0;
    const onWritten = (rowsDone: number) => {
      written += rowsDone;
      // Rows written while the file is still being checked show as checking.
      if (!checkedAll) return;
      report({ phase: "writing", done: written, total: toWrite });
      // Saved at most twice a second: the page polls the row, not the chunks.
      if (Date.now() - lastSaved > 500) {
        lastSaved = Date.now();
        void db.dataImport.update({ where: { id: importId }, data: { processedRows: written } }).catch(() => {});
      }
    };

    if ("asChecked" in importer) {
      const writeGroups = ctx.sql.dialect === "postgresql" ? writeAsChecked : writeStaged;
      const result = await writeGroups(importer.asChecked, counted(), ctx, rejects, {
        strict: input.strict,
        onWritten,
        lockWaitMs: input.lockWaitMs ?? IMPORTS_LOCK_WAIT_MS,
        waiting: () => report({ phase: "waiting", done: 0, total: 0 }),
        resumed: () => report({ phase: "reading", done: 0, total: 0 }),
        fileChecked: async (accepted) => {
          toWrite = accepted;
          if (!(await fileChecked())) return false;
          report({ phase: "writing", done: written, total: accepted });
          return true;
        },
      });
      if (!result) return outcome;
      outcome.counts = result.counts;
      outcome.accepted = result.accepted;
    } else {
      const accepted = await importer.check(counted(), ctx, rejects);
      if (!(await fileChecked())) return outcome;
      toWrite = accepted.length;
      report({ phase: "writing", done: 0, total: accepted.length });
      outcome.counts = await importer.write(accepted, ctx, onWritten);
      outcome.accepted = accepted.length;
    }
    outcome.status = "DONE";
    return outcome;
  } catch (error) {
    if (error instanceof ImportFileError) {
      outcome.failure = { reason: error.reason, params: error.params };
      if (!checkedAll) {
        rejects.forget();
        await ctx.sql.run(ctx.sql.db.deleteFrom("ImportRejectPage").where("importId", "=", importId));
      }
    } else {
      logger.error({ err: error, importId, kind: importer.kind, fileName: input.fileName }, "import failed");
      outcome.failure = { reason: "unexpected", params: {} };
    }
    return outcome;
  } finally {
    outcome.rejectCount = rejects.count;
    outcome.rejectProblems = rejects.problems;
    report({ phase: "done", done: outcome.accepted, total: outcome.total });
    await db.dataImport.update({
      where: { id: importId },
      data: {
        status: outcome.status,
        processedRows: outcome.accepted,
        acceptedRows: outcome.accepted,
        rejectedRows: outcome.rejected,
        createdRows: outcome.counts.created,
        updatedRows: outcome.counts.updated,
        unchangedRows: outcome.counts.unchanged,
        rejectCount: outcome.rejectCount,
        rejectProblems: serializeProblems(outcome.rejectProblems),
        message: outcome.failure ? serializeFailure(outcome.failure) : null,
        finishedAt: new Date(),
      },
    });
    await auditImport(importer.kind, input, outcome);
  }
}

// ---------------------------------------------------------------- writing as checked (PostgreSQL)

type AsChecked<Row> = Extract<Importer<Row>, { asChecked: unknown }>["asChecked"];
type RowOf<T> = T extends AsChecked<infer Row> ? Row : never;

/**
 * Checks an import's rows and writes the accepted ones a group at a time
 * (writeAsChecked on PostgreSQL, writeStaged on SQLite). `fileChecked` runs
 * once every row is checked; false (a strict import with a reject) means
 * nothing is kept, and the result is null.
 */
type WriteGroups = <Row>(
  importer: AsChecked<Row>,
  batches: AsyncIterable<TableRow[]>,
  ctx: ImportContext,
  rejects: RejectList,
  options: {
    strict: boolean;
    onWritten: (rows: number) => void;
    fileChecked: (accepted: number) => Promise<boolean>;
    /** Another import holds the imports' lock: this one waits for it, at most lockWaitMs (and then goes on). */
    waiting: () => void;
    lockWaitMs: number;
    resumed: () => void;
  },
) => Promise<{ accepted: number; counts: ImportCounts } | null>;

/**
 * Held by a PostgreSQL import written as checked for its whole transaction, so
 * two never run at once. Each locks the people of each slice in id order, but
 * not across slices: two imports naming the same people could each hold a
 * slice the other waits for (PostgreSQL would end one as a deadlock), and two
 * creating the same new code would both check it as new and one would fail
 * on the unique index. The job runner runs one import job at a time across
 * instances already; this covers the command line beside it.
 */
export const IMPORTS_LOCK = 727_005;

/**
 * How long an import waits for the one holding IMPORTS_LOCK. A 500,000-row
 * import takes about a minute on a small server; one still holding the lock
 * after ten is stuck (a command line suspended in its transaction, say), and
 * an upload waiting behind it would say "waiting" for ever. It is refused
 * instead, with `importsBusy`: nothing of it was read or written.
 */
export const IMPORTS_LOCK_WAIT_MS = 10 * 60_000;

/** Accepted rows handed to the writer at a time: the largest slice on either database. */
const AS_CHECKED_GROUP = 20_000;

/**
 * Thrown inside the import's transaction to roll it back: a strict import met
 * a reject. `fileChecked`: whether every row had been checked by then.
 */
class StrictRefusal extends Error {
  constructor(readonly fileChecked: boolean) {
    super("strictRefused");
  }
}

/**
 * A PostgreSQL import writes its accepted rows while the rest of the file is
 * still being parsed and checked, all inside one transaction: the file's
 * refusal at a later row, a strict import's first reject, a value the
 * database refuses, a roster changed meanwhile, or the process killed — any
 * of them rolls back whatever was written, as if nothing had been (decision
 * 160, "as checked"). The main thread checks the next rows while the server
 * writes the last ones, and holds at most two groups of accepted rows, not
 * the file's. Readers see the roster as it was until the commit.
 *
 * A strict import rolls back at its first reject, and checks the rest of the
 * file outside any transaction, for the reject list: it holds no lock or
 * connection meanwhile. `fileChecked` runs once every row is checked; false (a
 * strict import with a reject) means nothing is kept, and this returns null.
 */
const writeAsChecked: WriteGroups = async (importer, batches, ctx, rejects, options) => {
  const groups = importer.check(batches, ctx, rejects)[Symbol.asyncIterator]();
  let accepted = 0;
  try {
    return await ctx.sql.transaction(async (tx) => {
      // Before the first row is checked: an import waits here for one running
      // beside it (the command line beside the job runner's), then checks its
      // file against the roster that one committed.
      const [free] = await tx.all(
        fragment<{ locked: boolean }>`SELECT pg_try_advisory_xact_lock(${fragment.lit(IMPORTS_LOCK)}) AS locked`,
      );
      if (!free?.locked) {
        options.waiting();
        // Only this wait is bounded: the writes' own row locks wait as before.
        await tx.run(
          fragment`SET LOCAL lock_timeout = ${fragment.lit(`${Math.max(1, Math.round(options.lockWaitMs))}ms`)}`,
        );
        try {
          await tx.all(fragment`SELECT pg_advisory_xact_lock(${fragment.lit(IMPORTS_LOCK)})`);
        } catch (error) {
          // lock_not_available: the wait ran out (the transaction is rolled back).
          if ((error as { code?: unknown }).code !== "55P03") throw error;
          throw new ImportFileError("importsBusy", { minutes: Math.max(1, Math.round(options.lockWaitMs / 60_000)) });
        }
        await tx.run(fragment`SET LOCAL lock_timeout = 0`);
        options.resumed();
      }
      const writer = importer.writer(tx, options.onWritten);
      let held: RowOf<typeof importer>[] = [];
      // The group being written, settled to its error if it failed: awaited
      // before the next group starts, and before the transaction ends.
      let writing: Promise<{ error: unknown } | null> = Promise.resolve(null);
      const settle = async () => {
        const failed = await writing;
        writing = Promise.resolve(null);
        if (failed) throw failed.error;
      };
      const writeHeld = async () => {
        await settle();
        const group = held;
        held = [];
        writing = writer.write(group).then(
          () => null,
          (error: unknown) => ({ error }),
        );
      };
      try {
        for (let next = await groups.next(); !next.done; next = await groups.next()) {
          accepted += next.value.length;
          if (options.strict && rejects.rowCount > 0) throw new StrictRefusal(false);
          for (const row of next.value) held.push(row);
          if (held.length >= AS_CHECKED_GROUP) await writeHeld();
        }
      } catch (error) {
        await writing;
        throw error;
      }
      await settle();
      if (!(await options.fileChecked(accepted))) throw new StrictRefusal(true);
      await writeHeld();
      await settle();
      await writer.end();
      return { accepted, counts: writer.counts };
    });
  } catch (error) {
    if (!(error instanceof StrictRefusal)) throw error;
    if (!error.fileChecked) {
      // Rolled back: the rest of the file is checked for its reject list only.
      for (let next = await groups.next(); !next.done; next = await groups.next()) accepted += next.value.length;
      await options.fileChecked(accepted);
    }
    return null;
  } finally {
    // Stopped early (an error): ends the check, and the parser's worker with it.
    await groups.return?.(undefined);
  }
};

// ---------------------------------------------------------------- staged, then written (SQLite)

/**
 * A SQLite import checks every row before it writes any: its slices commit
 * one by one, so a file refused at a later row (a limit, a broken encoding, a
 * strict import's reject) must be refused before the first (decision 160).
 * The accepted rows wait in a RowStage on disk meanwhile, not in memory, and
 * are then written a group at a time; the writer carries the slices' pace
 * from one group to the next. A strict import stops staging at its first
 * reject: nothing of it will be written. `fileChecked` as in writeAsChecked.
 */
const writeStaged: WriteGroups = async (importer, batches, ctx, rejects, options) => {
  const stage = new RowStage<RowOf<typeof importer>>();
  try {
    let accepted = 0;
    for await (const group of importer.check(batches, ctx, rejects)) {
      accepted += group.length;
      if (options.strict && rejects.rowCount > 0) continue;
      // A thousand rows at a time: each is serialised and written at one go,
      // a few milliseconds in which the web server answers nothing.
      for (const part of chunks(group, CHECK_STEP)) {
        addToStage(stage, part);
        await yieldToServer();
      }
    }
    if (!(await options.fileChecked(accepted))) return null;
    const writer = importer.writer(ctx.sql, options.onWritten);
    let group: RowOf<typeof importer>[] = [];
    for (const part of stage.batches()) {
      for (const row of part) group.push(row);
      if (group.length >= AS_CHECKED_GROUP) {
        await writer.write(group);
        group = [];
      }
      await yieldToServer();
    }
    await writer.write(group);
    await writer.end();
    return { accepted, counts: writer.counts };
  } finally {
    stage.close();
  }
};

/** Stages a group; a full disk refuses the file with its own message (nothing is written yet). */
function addToStage<Row>(stage: RowStage<Row>, group: Row[]) {
  try {
    stage.add(group);
  } catch (error) {
    // SQLite's code for a write the disk had no room for (ENOSPC).
    if ((error as { code?: unknown }).code === "SQLITE_FULL") throw new ImportFileError("noDiskSpace");
    throw error;
  }
}

// ---------------------------------------------------------------- writing in slices

/**
 * How long a slice may take, its first size and largest, and the pause after
 * each (to let another process take SQLite's write lock). `quiet`: the web
 * process on SQLite, where the target is how long the import may work at a
 * stretch (workStretchMs), from `targetMs` while requests come to a second
 * while none do.
 */
export type SliceOptions = { targetMs: number; first: number; max: number; pauseMs?: number; quiet?: boolean };

/**
 * How long one write transaction may take. On SQLite a transaction holds the
 * only write lock, and the one thread: every other request waits for it, so
 * while requests come slices are kept near 25 ms (a request waits at most one
 * slice for each of its turns of the event loop; bench:import-hostile), and
 * grow toward a second while none come (workStretchMs). Every commit writes
 * each index page its slice touched, so longer slices write far less.
 * PostgreSQL locks rows, not the database, and larger transactions are much
 * faster there.
 *
 * The command line serves no requests; a web server beside it, in another
 * process, waits for SQLite's write lock in its busy handler (Prisma's: 5 s),
 * which sleeps 1, 2, 5 ... 50 ms between tries for its first 228 ms, then
 * 100 ms each. Slices of a second with a pause of SLICE_GAP_MS after each let
 * such a writer in after one slice, 1.1 s at worst: a pause longer than its
 * longest sleep always holds one of its tries (decision 160).
 */
export function sliceOptions(sql: Sql): SliceOptions {
  if (sql.dialect === "postgresql") return { targetMs: 500, first: 2_000, max: 20_000 };
  return serving
    ? { targetMs: WORK_MS, first: 250, max: LONGEST_SLICE, quiet: true }
    : { targetMs: 1_000, first: 2_000, max: LONGEST_SLICE, pauseMs: SLICE_GAP_MS };
}

/**
 * Rows in a SQLite slice at most, as before the 1 s slices: a slice's rows,
 * ids, memberships and facts are held until its commit, and a run at 50,000
 * peaked 100 MB higher (one run at load 9: not conclusive; decision 160).
 */
const LONGEST_SLICE = 20_000;
/** The pause between two command-line slices: longer than SQLite's busy handler's longest sleep (100 ms). */
const SLICE_GAP_MS = 110;

const SMALLEST_SLICE = 25;

/** The next slice's size from how long the last one took: toward the target, growing at most twice. */
export function nextSliceSize(size: number, tookMs: number, options: SliceOptions): number {
  const ideal = tookMs > 0 ? Math.floor((size * options.targetMs) / tookMs) : size * 2;
  return Math.max(SMALLEST_SLICE, Math.min(options.max, size * 2, ideal));
}

/** The last slice written: the next one is sized from it. */
export type SlicePace = { last: { size: number; tookMs: number } | null };

/**
 * Writes rows a slice per call of `write` (one transaction each), sizing the
 * slices by measuring them, and lets the server answer between two slices.
 * `pace` carries the sizing from one call to the next, when rows come in
 * groups (an import writing a group of checked rows at a time). `more`: more
 * rows follow in a later call, so rows too few for a whole slice are not
 * written but returned, to go first in that call's rows (otherwise each
 * group would end in a short slice: a commit, and a pause, more per group).
 */
export async function writeInSlices<T>(
  rows: readonly T[],
  options: SliceOptions,
  write: (part: T[]) => Promise<void>,
  pace: SlicePace = { last: null },
  more = false,
): Promise<T[]> {
  for (let start = 0; start < rows.length;) {
    // Before, not only after: statements another request started must not
    // land inside this transaction (on SQLite they would wait for its lock
    // while it waits for them).
    await yieldToServer();
    // Sized when it starts: a request that came during the last slice brings the target back at once.
    const target = options.quiet ? { ...options, targetMs: workStretchMs(quietMs()) } : options;
    const size = pace.last ? nextSliceSize(pace.last.size, pace.last.tookMs, target) : options.first;
    if (more && rows.length - start < size) return rows.slice(start);
    const part = rows.slice(start, start + size);
    const began = performance.now();
    await write(part);
    // A short last part says little of the pace: the one before it stands.
    if (part.length === size || !pace.last) pace.last = { size: part.length, tookMs: performance.now() - began };
    start += part.length;
    if (options.pauseMs && start < rows.length) await new Promise((resolve) => setTimeout(resolve, options.pauseMs));
  }
  return [];
}

/** Splits rows into chunks of `size`. */
export function chunks<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let start = 0; start < items.length; start += size) out.push(items.slice(start, start + size));
  return out;
}

const StoredRejects = z.array(
  z.object({
    row: z.number(),
    field: z.string(),
    reason: z.string(),
    value: z.string(),
    params: z.record(z.string(), z.union([z.string(), z.number()])).optional(),
  }),
);
const StoredFailure = z.object({ reason: z.string(), params: z.record(z.string(), z.union([z.string(), z.number()])) });

// An import's stored results read as empty when unreadable: they describe a
// finished import, and its page still shows the counts kept beside them.

/** ImportRejectPage.rejects. */
function parseRejectPage(json: string): Reject[] {
  return parseStoredJsonOr("ImportRejectPage.rejects", StoredRejects, json, []);
}

export function serializeRejects(rejects: readonly Reject[]): string {
  return JSON.stringify(rejects);
}

/** The kept rejects of an import, page `page` (from 1); [] past the last. */
export async function rejectPage(importId: string, page: number): Promise<Reject[]> {
  const row = await db.importRejectPage.findUnique({
    where: { importId_page: { importId, page } },
    select: { rejects: true },
  });
  return row ? parseRejectPage(row.rejects) : [];
}

/** How many rejects are kept and in how many pages. */
export async function keptRejects(importId: string): Promise<{ pages: number; rejects: number }> {
  const { _count, _sum } = await db.importRejectPage.aggregate({
    where: { importId },
    _count: { _all: true },
    _sum: { count: true },
  });
  return { pages: _count._all, rejects: _sum.count ?? 0 };
}

/** Every kept reject of an import, a page at a time, in the order found. */
export async function* rejectPages(importId: string): AsyncGenerator<Reject[]> {
  for (let page = 1; ; page++) {
    const row = await db.importRejectPage.findUnique({
      where: { importId_page: { importId, page } },
      select: { rejects: true },
    });
    if (!row) return;
    yield parseRejectPage(row.rejects);
  }
}

/** All kept rejects in row order: for the command line and tests (at most REJECTS_KEPT). */
export async function allRejects(importId: string): Promise<Reject[]> {
  const all: Reject[] = [];
  for await (const page of rejectPages(importId)) all.push(...page);
  return all.sort((a, b) => a.row - b.row);
}

const StoredProblems = z.record(z.string(), z.number().int().nonnegative());

/** DataImport.rejectProblems. */
export function parseStoredProblems(json: string): Record<string, number> {
  return parseStoredJsonOr("DataImport.rejectProblems", StoredProblems, json, {});
}

export function serializeProblems(problems: Record<string, number>): string {
  return JSON.stringify(problems);
}

/** DataImport.message: why a failed import stopped. */
export function parseStoredFailure(json: string | null): ImportOutcome["failure"] {
  if (!json) return null;
  return parseStoredJsonOr("DataImport.message", StoredFailure, json, null);
}

export function serializeFailure(failure: NonNullable<ImportOutcome["failure"]>): string {
  return JSON.stringify(failure);
}
