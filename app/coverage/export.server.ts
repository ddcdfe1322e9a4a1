import { PassThrough, Readable } from "node:stream";
import { stringify } from "csv-stringify/sync";
import ExcelJS from "exceljs";

// Every coverage table can leave as CSV or XLSX. Cells come from rosters that
// anyone may have typed into, so text that a spreadsheet would run as a
// formula is neutralised on the way out.

export type Cell = string | number | null;
export type ExportTable = {
  title: string; // sheet name and the start of the file name
  columns: { key: string; header: string; numeric?: boolean }[];
  rows: Record<string, Cell>[];
};

export type ExportFormat = "csv" | "xlsx";

// Excel, LibreOffice and Google Sheets start a formula with these; a tab or a
// carriage return in front hides one from a quick look (OWASP: CSV injection).
const FORMULA_START = /^[=+\-@\t\r]/;

/** Text a spreadsheet would read as a formula gets a leading apostrophe, which shows it as text. */
export function neutralise(text: string): string {
  return FORMULA_START.test(text) ? `'${text}` : text;
}

function cellValue(value: Cell, numeric: boolean | undefined): string | number | null {
  if (value === null) return null;
  if (numeric && typeof value === "number") return value;
  return neutralise(String(value));
}

const BOM = Buffer.from([0xef, 0xbb, 0xbf]);
const csvLines = (lines: (string | number | null)[][]) =>
  Buffer.from(stringify(lines, { record_delimiter: "\r\n" }), "utf8");

export function tableToCsv(table: ExportTable, options: { bom?: boolean } = {}): Buffer {
  const text = stringify(
    [
      table.columns.map((c) => neutralise(c.header)),
      ...table.rows.map((row) => table.columns.map((c) => cellValue(row[c.key] ?? null, c.numeric) ?? "")),
    ],
    { record_delimiter: "\r\n" },
  );
  // The byte-order mark makes Excel read the file as UTF-8, so Vietnamese survives.
  const bom = options.bom ?? true;
  return Buffer.concat([Buffer.from(bom ? [0xef, 0xbb, 0xbf] : []), Buffer.from(text, "utf8")]);
}

export async function tableToXlsx(table: ExportTable): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  workbook.creator = "Tập huấn";
  const sheet = workbook.addWorksheet(table.title.replace(/[\\/?*[\]:]/g, " ").slice(0, 31) || "Sheet1");
  sheet.columns = table.columns.map((c) => ({
    header: neutralise(c.header),
    key: c.key,
    width: Math.min(50, Math.max(10, c.header.length + 2)),
  }));
  sheet.getRow(1).font = { bold: true };
  for (const row of table.rows) {
    sheet.addRow(Object.fromEntries(table.columns.map((c) => [c.key, cellValue(row[c.key] ?? null, c.numeric)])));
  }
  return Buffer.from(await workbook.xlsx.writeBuffer());
}

function exportHeaders(format: ExportFormat, fileStem: string): HeadersInit {
  const type =
    format === "csv" ? "text/csv; charset=utf-8" : "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
  const ascii = fileStem.replace(/[^A-Za-z0-9._-]+/g, "-");
  return {
    "Content-Type": type,
    "Content-Disposition": `attachment; filename="${ascii}.${format}"; filename*=UTF-8''${encodeURIComponent(fileStem)}.${format}`,
    "Cache-Control": "private, no-store",
  };
}

export async function exportResponse(table: ExportTable, format: ExportFormat, fileStem: string): Promise<Response> {
  const body = format === "csv" ? tableToCsv(table) : await tableToXlsx(table);
  return new Response(new Uint8Array(body), { headers: exportHeaders(format, fileStem) });
}

/** A table whose rows arrive a batch at a time (e.g. stored pages), never all in memory. */
export type StreamedTable = Omit<ExportTable, "rows"> & { batches: AsyncIterable<ExportTable["rows"]> };

async function* csvChunks(table: StreamedTable): AsyncGenerator<Buffer> {
  yield Buffer.concat([BOM, csvLines([table.columns.map((c) => neutralise(c.header))])]);
  for await (const rows of table.batches) {
    if (rows.length)
      yield csvLines(rows.map((row) => table.columns.map((c) => cellValue(row[c.key] ?? null, c.numeric) ?? "")));
  }
}

function xlsxStream(table: StreamedTable): Readable {
  const out = new PassThrough();
  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: out, useStyles: true });
  workbook.creator = "Tập huấn";
  const sheet = workbook.addWorksheet(table.title.replace(/[\\/?*[\]:]/g, " ").slice(0, 31) || "Sheet1");
  sheet.columns = table.columns.map((c) => ({
    header: neutralise(c.header),
    key: c.key,
    width: Math.min(50, Math.max(10, c.header.length + 2)),
  }));
  sheet.getRow(1).font = { bold: true };
  void (async () => {
    for await (const rows of table.batches) {
      for (const row of rows)
        sheet
          .addRow(Object.fromEntries(table.columns.map((c) => [c.key, cellValue(row[c.key] ?? null, c.numeric)])))
          .commit();
    }
    sheet.commit();
    await workbook.commit();
  })().catch((error: unknown) => out.destroy(error as Error));
  return out;
}

/** Like exportResponse, for a table read a batch at a time while the response is sent. */
export function exportStreamResponse(table: StreamedTable, format: ExportFormat, fileStem: string): Response {
  const body = format === "csv" ? Readable.from(csvChunks(table)) : xlsxStream(table);
  return new Response(Readable.toWeb(body) as ReadableStream<Uint8Array>, { headers: exportHeaders(format, fileStem) });
}
