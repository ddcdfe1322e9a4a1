import { Readable } from "node:stream";
import { CsvError, parse } from "csv-parse/sync";
import ExcelJS from "exceljs";

// Reads an uploaded roster or training file, CSV or XLSX, into rows of text
// cells. Files come from Excel: a UTF-8 CSV may start with a byte-order mark;
// a CSV in any other encoding is refused rather than stored as mojibake.

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

// A roster of 200,000 is the scale planned for; this leaves room and bounds memory.
export const MAX_IMPORT_ROWS = 500_000;

export function normaliseHeader(cell: string): string {
  return cell.replace(/^\uFEFF/, "").trim().toLowerCase().replace(/\s+/g, "_");
}

/**
 * Parses the file and checks its header: every required column present, no
 * unknown ones (a misspelt "joined_date" must not be ignored silently).
 */
export async function readTableFile(
  fileName: string,
  bytes: Uint8Array,
  columns: { required: readonly string[]; optional: readonly string[] },
): Promise<TableFile> {
  const raw = await readRaw(fileName, bytes);
  const headerRow = raw.shift();
  if (!headerRow) throw new ImportFileError("empty");
  const header = headerRow.cells.map(normaliseHeader);
  while (header.length && header[header.length - 1] === "") header.pop();
  const known = new Set([...columns.required, ...columns.optional]);
  const missing = columns.required.filter((c) => !header.includes(c));
  if (missing.length) throw new ImportFileError("missingColumns", { columns: missing.join(", ") });
  const unknown = header.filter((c) => !known.has(c));
  if (unknown.length) throw new ImportFileError("unknownColumns", { columns: unknown.map((c) => c || "(…)").join(", ") });
  const repeated = header.filter((c, i) => header.indexOf(c) !== i);
  if (repeated.length) throw new ImportFileError("repeatedColumns", { columns: [...new Set(repeated)].join(", ") });
  if (raw.length === 0) throw new ImportFileError("noRows");
  if (raw.length > MAX_IMPORT_ROWS) throw new ImportFileError("tooManyRows", { max: MAX_IMPORT_ROWS });

  const rows: TableRow[] = raw.map(({ row, cells: values }) => {
    const cells: Record<string, string> = {};
    for (const name of known) cells[name] = ""; // an optional column the file leaves out is empty
    // Spaces around a value never mean anything in these columns.
    header.forEach((name, i) => (cells[name] = (values[i] ?? "").trim()));
    // Cells past the header are data the file meant to give us: keep them visible.
    if (values.slice(header.length).some((v) => v.trim() !== "")) cells[EXTRA_CELLS] = "1";
    return { row, cells };
  });
  return { rows };
}

/** Set on a row that has more cells than the header has columns. */
export const EXTRA_CELLS = "\u0000extra";

type RawRow = { row: number; cells: string[] };

async function readRaw(fileName: string, bytes: Uint8Array): Promise<RawRow[]> {
  const isZip = bytes[0] === 0x50 && bytes[1] === 0x4b && bytes[2] === 0x03 && bytes[3] === 0x04;
  const isOle = bytes[0] === 0xd0 && bytes[1] === 0xcf && bytes[2] === 0x11 && bytes[3] === 0xe0;
  const lower = fileName.toLowerCase();
  if (isOle || lower.endsWith(".xls")) throw new ImportFileError("xlsUnsupported");
  if (isZip) return readXlsx(bytes);
  if (lower.endsWith(".xlsx")) throw new ImportFileError("badXlsx");
  if (bytes.length === 0) throw new ImportFileError("empty");
  return readCsv(bytes);
}

/** UTF-8 text of a CSV file, or the reason it is not UTF-8. */
export function decodeUtf8(bytes: Uint8Array): string {
  if ((bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff)) {
    throw new ImportFileError("encodingUtf16");
  }
  const start = bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? 3 : 0;
  let text: string;
  try {
    text = new TextDecoder("utf-8", { fatal: true }).decode(bytes.subarray(start));
  } catch {
    throw new ImportFileError("encodingNotUtf8");
  }
  // UTF-16 without a byte-order mark decodes as "valid" UTF-8 full of NULs.
  if (text.includes("\u0000")) throw new ImportFileError("encodingNotUtf8");
  return text;
}

function detectDelimiter(text: string): string {
  const firstLine = text.slice(0, text.search(/\r?\n|$/));
  const counts = [",", ";", "\t"].map((d) => [d, firstLine.split(d).length - 1] as const);
  return counts.reduce((best, next) => (next[1] > best[1] ? next : best))[0];
}

function readCsv(bytes: Uint8Array): RawRow[] {
  const text = decodeUtf8(bytes);
  const options = { delimiter: detectDelimiter(text), relax_column_count: true, relax_quotes: true } as const;
  const nonEmpty = (row: RawRow) => row.cells.some((cell) => cell.trim() !== "");
  try {
    // Row numbers are line numbers. When every record is one line (no line
    // breaks inside quoted cells), the record's index is its line; asking the
    // parser for positions costs 40% more on a 200,000-row file.
    const records = parse(text, options) as string[][];
    const lines = (text.match(/\n/g)?.length ?? 0) + (text.endsWith("\n") ? 0 : 1);
    if (records.length === lines) return records.map((cells, i) => ({ row: i + 1, cells })).filter(nonEmpty);
    const located = parse(text, { ...options, info: true }) as unknown as { record: string[]; info: { lines: number } }[];
    return located.map(({ record, info }) => ({ row: info.lines, cells: record })).filter(nonEmpty);
  } catch (error) {
    if (error instanceof CsvError) throw new ImportFileError("csvMalformed", { line: (error as CsvError & { lines?: number }).lines ?? 0 });
    throw error;
  }
}

export function cellText(value: ExcelJS.CellValue): string {
  if (value === null || value === undefined) return "";
  // Excel stores dates as day numbers; exceljs gives them as UTC midnight.
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? "" : value.toISOString().slice(0, 10);
  if (typeof value === "object") {
    if ("richText" in value) return value.richText.map((part) => part.text).join("");
    if ("formula" in value || "sharedFormula" in value) return cellText((value as ExcelJS.CellFormulaValue).result ?? null);
    if ("text" in value) return cellText((value as ExcelJS.CellHyperlinkValue).text);
    if ("error" in value) return "";
  }
  return String(value);
}

async function readXlsx(bytes: Uint8Array): Promise<RawRow[]> {
  // The streaming reader keeps memory flat for a 200,000-row sheet.
  const reader = new ExcelJS.stream.xlsx.WorkbookReader(Readable.from(Buffer.from(bytes)), {
    sharedStrings: "cache",
    hyperlinks: "ignore",
    styles: "cache", // needed to tell a date cell from a number
    worksheets: "emit",
    entries: "ignore",
  });
  const rows: RawRow[] = [];
  try {
    for await (const worksheet of reader) {
      for await (const row of worksheet) {
        const values = row.values as ExcelJS.CellValue[]; // sparse, 1-based
        const cells = Array.from({ length: Math.max(0, values.length - 1) }, (_, i) => cellText(values[i + 1] ?? null));
        if (cells.some((c) => c.trim() !== "")) rows.push({ row: row.number, cells });
        if (rows.length > MAX_IMPORT_ROWS + 1) throw new ImportFileError("tooManyRows", { max: MAX_IMPORT_ROWS });
      }
      break; // the first sheet only
    }
  } catch (error) {
    if (error instanceof ImportFileError) throw error;
    throw new ImportFileError("badXlsx");
  }
  return rows;
}
