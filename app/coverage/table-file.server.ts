import { createReadStream } from "node:fs";
import { open, stat } from "node:fs/promises";
import { Readable, Transform, type TransformCallback } from "node:stream";
import { CsvError, parse, type InfoRecord, type Options } from "csv-parse";
import type ExcelJS from "exceljs";
import { IMPORT_LIMITS, toMb, type ImportLimits } from "./import-limits";
import { readXlsxRows } from "./xlsx.server";

// Reads an uploaded roster or training file, CSV or XLSX, into rows of text
// cells, a batch at a time. Files come from Excel: a UTF-8 CSV may start with
// a byte-order mark; a CSV in any other encoding is refused rather than stored
// as mojibake. Every limit in IMPORT_LIMITS is checked as the rows stream by,
// so a hostile file is refused at the row where it crosses one. This runs in
// a worker thread (read-table-file.server.ts): nothing here may touch the
// database or the logger.

export class ImportFileError extends Error {
  constructor(
    readonly reason: string, // a key under "coverage:file."
    readonly params: Record<string, string | number> = {},
  ) {
    super(reason);
  }
}

export type TableRow = { row: number; cells: Record<string, string> };
export type TableFile = { rows: TableRow[] };
export type TableColumns = { required: readonly string[]; optional: readonly string[] };
/** The file's bytes, or the file on disk (read as a stream, never whole). */
export type TableSource = Uint8Array | { path: string };
export type RawRow = { row: number; cells: string[] };

/** Set on a row that has more cells than the header has columns. */
export const EXTRA_CELLS = "\u0000extra";

/** Rows handed over at a time: small enough to copy between threads in a few milliseconds. */
export const ROW_BATCH = 2_000;

export function normaliseHeader(cell: string): string {
  return cell
    .replace(/^\uFEFF/, "")
    .trim()
    .toLowerCase()
    .replace(/\s+/g, "_");
}

/**
 * Checks the header: every required column present, no unknown ones (a
 * misspelt "joined_date" must not be ignored silently), none twice.
 */
function checkHeader(cells: string[], columns: TableColumns): string[] {
  const header = cells.map(normaliseHeader);
  while (header.length && header[header.length - 1] === "") header.pop();
  const known = new Set([...columns.required, ...columns.optional]);
  const missing = columns.required.filter((c) => !header.includes(c));
  if (missing.length) throw new ImportFileError("missingColumns", { columns: missing.join(", ") });
  const unknown = header.filter((c) => !known.has(c));
  if (unknown.length)
    throw new ImportFileError("unknownColumns", { columns: unknown.map((c) => c || "(…)").join(", ") });
  const repeated = header.filter((c, i) => header.indexOf(c) !== i);
  if (repeated.length) throw new ImportFileError("repeatedColumns", { columns: [...new Set(repeated)].join(", ") });
  return header;
}

/**
 * Parses the file and checks its header, handing data rows to `emit` a batch
 * at a time and waiting for each to be taken. Throws ImportFileError on the
 * first limit crossed or the first thing that makes the file unreadable.
 */
export async function parseTableFile(
  fileName: string,
  source: TableSource,
  columns: TableColumns,
  emit: (rows: TableRow[]) => Promise<void>,
  limits: ImportLimits = IMPORT_LIMITS,
): Promise<{ rows: number }> {
  const size = source instanceof Uint8Array ? source.byteLength : (await stat(source.path)).size;
  if (size > limits.fileBytes) throw new ImportFileError("tooLarge", { mb: toMb(limits.fileBytes) });
  if (size === 0) throw new ImportFileError("empty");
  const known = [...columns.required, ...columns.optional];
  let header: string[] | null = null;
  let count = 0;
  let text = 0;
  let batch: TableRow[] = [];
  for await (const { row, cells: values } of readRaw(fileName, source, size, limits)) {
    let width = values.length;
    while (width > 0 && values[width - 1]!.trim() === "") width--;
    if (width === 0) continue; // a blank row
    if (width > limits.columns) throw new ImportFileError("tooManyColumns", { row, max: limits.columns });
    const long = values.findIndex((value, i) => i < width && value.length > limits.cellChars);
    if (long >= 0) throw new ImportFileError("cellTooLong", { row, column: long + 1, max: limits.cellChars });
    if (!header) {
      header = checkHeader(values, columns);
      continue;
    }
    if (++count > limits.rows) throw new ImportFileError("tooManyRows", { max: limits.rows });
    const cells: Record<string, string> = {};
    for (const name of known) cells[name] = ""; // an optional column the file leaves out is empty
    // Spaces around a value never mean anything in these columns.
    header.forEach((name, i) => {
      const value = (values[i] ?? "").trim();
      cells[name] = value;
      text += value.length;
    });
    // Cells past the header are data the file meant to give us: keep them visible.
    if (width > header.length) cells[EXTRA_CELLS] = "1";
    // Shared strings let a small XLSX repeat one long text in every cell.
    if (text > limits.textChars) throw new ImportFileError("inflatesTooLarge", { mb: toMb(limits.textChars) });
    batch.push({ row, cells });
    if (batch.length >= ROW_BATCH) {
      await emit(batch);
      batch = [];
    }
  }
  if (!header) throw new ImportFileError("empty");
  if (count === 0) throw new ImportFileError("noRows");
  if (batch.length) await emit(batch);
  return { rows: count };
}

async function head(source: TableSource, length: number): Promise<Uint8Array> {
  if (source instanceof Uint8Array) return source.subarray(0, length);
  const file = await open(source.path);
  try {
    const buffer = Buffer.alloc(length);
    const { bytesRead } = await file.read(buffer, 0, length, 0);
    return buffer.subarray(0, bytesRead);
  } finally {
    await file.close();
  }
}

const CHUNK = 64 * 1024;

function byteStream(source: TableSource): Readable {
  if (!(source instanceof Uint8Array)) return createReadStream(source.path, { highWaterMark: CHUNK });
  return Readable.from(
    (function* () {
      for (let start = 0; start < source.byteLength; start += CHUNK)
        yield Buffer.from(source.buffer, source.byteOffset + start, Math.min(CHUNK, source.byteLength - start));
    })(),
  );
}

async function* readRaw(
  fileName: string,
  source: TableSource,
  size: number,
  limits: ImportLimits,
): AsyncGenerator<RawRow> {
  const magic = await head(source, 4);
  const isZip = magic[0] === 0x50 && magic[1] === 0x4b && magic[2] === 0x03 && magic[3] === 0x04;
  const isOle = magic[0] === 0xd0 && magic[1] === 0xcf && magic[2] === 0x11 && magic[3] === 0xe0;
  const lower = fileName.toLowerCase();
  if (isOle || lower.endsWith(".xls")) throw new ImportFileError("xlsUnsupported");
  if (isZip) return yield* readXlsxRows(source, size, limits, cellText);
  if (lower.endsWith(".xlsx")) throw new ImportFileError("badXlsx");
  yield* readCsvRows(source, limits);
}

function detectDelimiter(text: string): string {
  const firstLine = text.slice(0, text.search(/\r?\n|$/));
  const counts = [",", ";", "\t"].map((d) => [d, firstLine.split(d).length - 1] as const);
  return counts.reduce((best, next) => (next[1] > best[1] ? next : best))[0];
}

/**
 * Checks the bytes on their way to the parser: UTF-8 without NULs, and no
 * line with more delimiters than a row of the widest allowed cells could
 * hold. The parser builds a whole record before anyone sees it, so a line of
 * a million commas must be stopped here.
 */
function csvGuard(delimiter: string, limits: ImportLimits): Transform & { bytes: number } {
  const decoder = new TextDecoder("utf-8", { fatal: true });
  const delimiterByte = delimiter.charCodeAt(0);
  const maxDelimiters = limits.columns * (limits.cellChars + 2);
  let line = 1;
  let delimiters = 0;
  const guard = new Transform({
    transform(chunk: Buffer, _encoding, callback: TransformCallback) {
      guard.bytes += chunk.length;
      if (chunk.includes(0)) return callback(new ImportFileError("encodingNotUtf8"));
      try {
        decoder.decode(chunk, { stream: true });
      } catch {
        return callback(new ImportFileError("encodingNotUtf8"));
      }
      for (let i = 0; i < chunk.length; i++) {
        const byte = chunk[i];
        if (byte === 0x0a) {
          line++;
          delimiters = 0;
        } else if (byte === delimiterByte && ++delimiters > maxDelimiters) {
          return callback(new ImportFileError("tooManyColumns", { row: line, max: limits.columns }));
        }
      }
      callback(null, chunk);
    },
    flush(callback: TransformCallback) {
      try {
        decoder.decode();
        callback();
      } catch {
        callback(new ImportFileError("encodingNotUtf8"));
      }
    },
  }) as Transform & { bytes: number };
  guard.bytes = 0;
  return guard;
}

type ParserState = { record: unknown[]; expectedRecordLength?: number };
type ParserInternals = { state: ParserState; api: { state: ParserState } };

/**
 * Makes csv-parse take every record's length as the expected one, on a copy
 * of the parser's state with the accessor in the object literal. Redefining
 * the property on the state itself (or building the copy with Object.create
 * or Object.assign) leaves it a dictionary-mode object, and the parser reads
 * its state several times a byte: that doubled the time of a parse.
 */
function expectEveryLength(parser: ParserInternals) {
  const { expectedRecordLength: _dropped, ...fields } = parser.api.state;
  const state: ParserState = {
    ...fields,
    get expectedRecordLength(): number {
      return this.record.length;
    },
    set expectedRecordLength(_ignored: number) {},
  };
  parser.api.state = state;
  parser.state = state;
}

async function* readCsvRows(source: TableSource, limits: ImportLimits): AsyncGenerator<RawRow> {
  const start = await head(source, CHUNK);
  if ((start[0] === 0xff && start[1] === 0xfe) || (start[0] === 0xfe && start[1] === 0xff))
    throw new ImportFileError("encodingUtf16");
  const delimiter = detectDelimiter(new TextDecoder("utf-8").decode(start));
  // The line the record being read starts on: where an unclosed quote opened.
  let recordStart = 1;
  let recordStartByte = 0;
  const bytes = byteStream(source);
  const guard = csvGuard(delimiter, limits);
  const options: Options<RawRow, string[]> = {
    delimiter,
    bom: true,
    relax_column_count: true,
    relax_quotes: true,
    // Bytes in one record: the widest row of the longest cells, in UTF-8. An
    // unclosed quote runs into it within a few hundred kilobytes instead of
    // swallowing the rest of the file as one cell.
    max_record_size: limits.columns * limits.cellChars * 4,
    // Row numbers are line numbers: where the record ends, for one that
    // spans lines inside a quoted cell. Noted as the parser goes, since an
    // error discards the records it had not handed over yet.
    on_record: (cells: string[], { lines, bytes }: InfoRecord): RawRow => {
      recordStart = lines + 1;
      recordStartByte = bytes;
      return { row: lines, cells };
    },
  };
  const parser = parse(options as unknown as Options);
  // relax_column_count still builds an error, stack trace and all, for every
  // record whose length differs from the first one's, then drops it: 40 µs a
  // row, so a file of short rows cost a minute. Every length is the expected one.
  expectEveryLength(parser as unknown as ParserInternals);
  bytes.on("error", (error) => guard.destroy(error));
  guard.on("error", (error) => parser.destroy(error));
  bytes.pipe(guard).pipe(parser);
  try {
    yield* parser as AsyncIterable<RawRow>;
  } catch (error) {
    if (error instanceof CsvError) {
      const { column } = error as CsvError & { column?: number };
      const unfinished = guard.bytes - recordStartByte;
      if (
        error.code === "CSV_MAX_RECORD_SIZE" ||
        (error.code === "CSV_QUOTE_NOT_CLOSED" && unfinished > limits.cellChars)
      ) {
        throw new ImportFileError("cellTooLong", {
          row: recordStart,
          column: (column ?? 0) + 1,
          max: limits.cellChars,
        });
      }
      throw new ImportFileError("csvMalformed", {
        line: (error as CsvError & { lines?: number }).lines ?? recordStart,
      });
    }
    throw error;
  } finally {
    bytes.destroy();
    guard.destroy();
    parser.destroy();
  }
}

export function cellText(value: ExcelJS.CellValue): string {
  if (value === null || value === undefined) return "";
  // Excel stores dates as day numbers; exceljs gives them as UTC midnight.
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? "" : value.toISOString().slice(0, 10);
  if (typeof value === "object") {
    if ("richText" in value) return value.richText.map((part) => part.text).join("");
    if ("formula" in value || "sharedFormula" in value)
      return cellText((value as ExcelJS.CellFormulaValue).result ?? null);
    if ("text" in value) return cellText((value as ExcelJS.CellHyperlinkValue).text);
    if ("error" in value) return "";
  }
  return String(value);
}
