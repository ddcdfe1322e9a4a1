import { z } from "zod";
import { db } from "~/utils/db.server";
import { parseIsoDay } from "./dates";
import { auditImport } from "./import-audit.server";
import type { Actor } from "./scope.server";
import { getSql, type Sql } from "./sql.server";
import { readTableFile } from "./read-table-file.server";
import { ImportFileError, EXTRA_CELLS, type TableRow } from "./table-file.server";
import { logger } from "~/utils/logger.server";

// What roster and training imports share: reading the file, checking every
// row before anything is written, the strict switch, writing in chunks with
// progress, and the DataImport row that records the outcome.

export type ImportKind = "ROSTER" | "TRAINING";

/** A rejected row: its spreadsheet row number, the column, a reason key under "coverage:reject.". */
export type Reject = { row: number; field: string; reason: string; value: string; params?: Record<string, string | number> };

export type ImportCounts = { created: number; updated: number; unchanged: number };

export type ImportPhase = "reading" | "checking" | "writing" | "done";
export type ImportProgress = { phase: ImportPhase; done: number; total: number };

export type ImportContext = {
  /** The DataImport row: training records name it as their source. */
  importId: string;
  actor: Actor;
  sql: Sql;
  today: number;
  /** Called every few thousand rows while checking: reports progress and lets the server answer other requests. */
  checked: (rows: number) => Promise<void>;
};

/** Rows checked between two calls of ImportContext.checked. */
export const CHECK_STEP = 5_000;

/**
 * Imports run in the web server's process, and SQLite calls are synchronous:
 * awaiting them alone never lets the server read a request. Between steps of
 * the work, this gives pending requests (the progress page's polls) a turn.
 */
export function yieldToServer(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

export type Importer<Row> = {
  kind: ImportKind;
  columns: { required: readonly string[]; optional: readonly string[] };
  /** Checks every row; nothing is written. */
  check(rows: TableRow[], ctx: ImportContext, rejects: RejectList): Promise<Row[]>;
  /** Writes accepted rows, a chunk per transaction; reports rows handled. */
  write(rows: Row[], ctx: ImportContext, onWritten: (rows: number) => void): Promise<ImportCounts>;
};

export type ImportOutcome = {
  importId: string;
  status: "DONE" | "FAILED";
  /** Why nothing was written: a key under "coverage:file." */
  failure: { reason: string; params: Record<string, string | number> } | null;
  total: number;
  accepted: number;
  rejected: number;
  counts: ImportCounts;
  rejects: Reject[];
};

export class RejectList {
  readonly items: Reject[] = [];
  private readonly rows = new Set<number>();

  add(row: number, field: string, reason: string, value: string, params?: Record<string, string | number>) {
    this.items.push({ row, field, reason, value: value.slice(0, 200), ...(params ? { params } : {}) });
    this.rows.add(row);
  }

  has(row: number): boolean {
    return this.rows.has(row);
  }

  get rowCount(): number {
    return this.rows.size;
  }
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
    rejects.add(row.row, field, issue.message.startsWith("reject.") ? issue.message.slice(7) : "invalid", row.cells[field] ?? "");
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

type RunInput = { importId: string; fileName: string; bytes: Uint8Array; strict: boolean; actor: Actor; today: number };

/** Reads, checks and (unless refused) writes one file, keeping its DataImport row up to date. */
export async function runImport<Row>(
  importer: Importer<Row>,
  input: RunInput,
  onProgress: (progress: ImportProgress) => void = () => {},
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
      report({ phase: "checking", done: rows, total });
      await yieldToServer();
    },
  };
  const outcome: ImportOutcome = {
    importId,
    status: "FAILED",
    failure: null,
    total: 0,
    accepted: 0,
    rejected: 0,
    counts: { created: 0, updated: 0, unchanged: 0 },
    rejects: [],
  };
  try {
    report({ phase: "reading", done: 0, total: 0 });
    const { rows } = await readTableFile(input.fileName, input.bytes, importer.columns);
    outcome.total = total = rows.length;
    report({ phase: "checking", done: 0, total: rows.length });
    await db.dataImport.update({ where: { id: importId }, data: { totalRows: rows.length } });

    const rejects = new RejectList();
    const accepted = await importer.check(rows, ctx, rejects);
    outcome.rejects = rejects.items.sort((a, b) => a.row - b.row);
    outcome.rejected = rejects.rowCount;
    if (input.strict && rejects.rowCount > 0) {
      outcome.failure = { reason: "strictRefused", params: { rejected: rejects.rowCount } };
      return outcome;
    }

    let written = 0;
    report({ phase: "writing", done: 0, total: accepted.length });
    let lastSaved = 0;
    outcome.counts = await importer.write(accepted, ctx, (rowsDone) => {
      written += rowsDone;
      report({ phase: "writing", done: written, total: accepted.length });
      // Saved at most twice a second: the page polls the row, not the chunks.
      if (Date.now() - lastSaved > 500) {
        lastSaved = Date.now();
        void db.dataImport.update({ where: { id: importId }, data: { processedRows: written } }).catch(() => {});
      }
    });
    outcome.accepted = accepted.length;
    outcome.status = "DONE";
    return outcome;
  } catch (error) {
    if (error instanceof ImportFileError) {
      outcome.failure = { reason: error.reason, params: error.params };
    } else {
      logger.error({ err: error, importId, kind: importer.kind, fileName: input.fileName }, "import failed");
      outcome.failure = { reason: "unexpected", params: {} };
    }
    return outcome;
  } finally {
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
        rejects: JSON.stringify(outcome.rejects),
        message: outcome.failure ? JSON.stringify(outcome.failure) : null,
        finishedAt: new Date(),
      },
    });
    await auditImport(importer.kind, input, outcome);
  }
}

/** Splits rows into chunks of `size`, each written in one transaction. */
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

export function parseStoredRejects(json: string): Reject[] {
  const parsed = StoredRejects.safeParse(JSON.parse(json));
  return parsed.success ? parsed.data : [];
}

export function parseStoredFailure(json: string | null): ImportOutcome["failure"] {
  if (!json) return null;
  const parsed = StoredFailure.safeParse(JSON.parse(json));
  return parsed.success ? parsed.data : null;
}
