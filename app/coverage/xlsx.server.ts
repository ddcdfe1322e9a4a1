import { Readable, Transform, type TransformCallback } from "node:stream";
import type ExcelJS from "exceljs";
import type yauzl from "yauzl";
import { inflateBudget, toMb, type ImportLimits } from "./import-limits";
import { ImportFileError, type RawRow, type TableSource } from "./table-file.server";

// Reads the first sheet of an XLSX file with every byte it inflates counted.
// A zip's headers say how big each entry is, but a hostile file may lie (a
// "zip bomb" whose headers claim a few kilobytes and inflate to gigabytes),
// so the headers are only used to refuse an honest bomb early: the budget is
// spent on the bytes zlib actually hands over. yauzl gives random access to
// the entries, so the sheet is read after the shared strings and styles it
// needs without spooling it to a temporary file as exceljs's own reader does.

type Entries = Map<string, yauzl.Entry>;

const SHEET = /^xl\/worksheets\/sheet(\d+)\.xml$/;

/** What the first sheet needs, in the order exceljs needs it. */
const PARTS = ["xl/_rels/workbook.xml.rels", "xl/workbook.xml", "xl/sharedStrings.xml", "xl/styles.xml"] as const;

// Loaded on first use: a worker reading a CSV starts without them.
const loadYauzl = async () => (await import("yauzl")).default;
const loadExcelJS = async () => (await import("exceljs")).default;

async function openZip(source: TableSource): Promise<yauzl.ZipFile> {
  const yauzl = await loadYauzl();
  // Sizes are checked by InflateBudget below, against the budget rather than the headers.
  const options: yauzl.Options = {
    lazyEntries: true,
    autoClose: false,
    validateEntrySizes: false,
    strictFileNames: false,
  };
  return new Promise((resolve, reject) => {
    const done = (error: Error | null, zip?: yauzl.ZipFile) =>
      error || !zip ? reject(new ImportFileError("badXlsx")) : resolve(zip);
    if (source instanceof Uint8Array)
      yauzl.fromBuffer(Buffer.from(source.buffer, source.byteOffset, source.byteLength), options, done);
    else yauzl.open(source.path, options, done);
  });
}

function listEntries(zip: yauzl.ZipFile, limits: ImportLimits): Promise<Entries> {
  if (zip.entryCount > limits.zipEntries) throw new ImportFileError("tooManyEntries", { max: limits.zipEntries });
  return new Promise((resolve, reject) => {
    const entries: Entries = new Map();
    zip.on("entry", (entry: yauzl.Entry) => {
      entries.set(entry.fileName, entry);
      zip.readEntry();
    });
    zip.on("end", () => resolve(entries));
    zip.on("error", () => reject(new ImportFileError("badXlsx")));
    zip.readEntry();
  });
}

/** Passes inflated bytes through until the file's budget is spent, then fails the stream. */
class InflateBudget {
  private left: number;
  constructor(readonly bytes: number) {
    this.left = bytes;
  }
  counter(): Transform {
    return new Transform({
      transform: (chunk: Buffer, _encoding, callback: TransformCallback) => {
        this.left -= chunk.length;
        if (this.left < 0) callback(new ImportFileError("inflatesTooLarge", { mb: toMb(this.bytes) }));
        else callback(null, chunk);
      },
    });
  }
}

function openEntry(zip: yauzl.ZipFile, entry: yauzl.Entry, budget: InflateBudget): Promise<Readable> {
  return new Promise((resolve, reject) => {
    zip.openReadStream(entry, (error, stream) => {
      if (error || !stream) return reject(new ImportFileError("badXlsx"));
      const counted = budget.counter();
      // A corrupt deflate stream is the file's fault, not ours; the budget's own error passes as it is.
      stream.on("error", () => counted.destroy(new ImportFileError("badXlsx")));
      resolve(stream.pipe(counted));
    });
  });
}

async function drain(stream: Readable): Promise<void> {
  for await (const chunk of stream) void chunk;
}

type Internals = {
  _parseRels(stream: Readable): Promise<void>;
  _parseWorkbook(stream: Readable): Promise<void>;
  _parseSharedStrings(stream: Readable): AsyncGenerator<unknown>;
  _parseStyles(stream: Readable): Promise<void>;
  _parseWorksheet(
    stream: Readable,
    sheetNo: string,
  ): Generator<{ eventType: string; value: AsyncIterable<ExcelJS.Row> }>;
};

async function* sheetRows(
  zip: yauzl.ZipFile,
  entries: Entries,
  sheet: yauzl.Entry,
  budget: InflateBudget,
): AsyncGenerator<ExcelJS.Row> {
  // exceljs's WorkbookReader, fed part by part instead of from its own unzipper.
  const ExcelJS = await loadExcelJS();
  const reader = new ExcelJS.stream.xlsx.WorkbookReader(Readable.from([]), {
    sharedStrings: "cache",
    hyperlinks: "ignore",
    styles: "cache", // needed to tell a date cell from a number
    worksheets: "emit",
    entries: "ignore",
  }) as unknown as Internals;
  const part = (name: string) => entries.get(name);
  const [rels, workbook, shared, styles] = PARTS.map(part);
  if (rels) await reader._parseRels(await openEntry(zip, rels, budget));
  if (workbook) await reader._parseWorkbook(await openEntry(zip, workbook, budget));
  if (shared) for await (const event of reader._parseSharedStrings(await openEntry(zip, shared, budget))) void event;
  if (styles) await reader._parseStyles(await openEntry(zip, styles, budget));
  const sheetNo = SHEET.exec(sheet.fileName)![1]!;
  for (const { eventType, value } of reader._parseWorksheet(await openEntry(zip, sheet, budget), sheetNo)) {
    if (eventType === "worksheet") yield* value;
  }
}

/** Rows of the file's first sheet: its cells as exceljs values, 1-based and sparse. */
export async function* readXlsxRows(
  source: TableSource,
  fileBytes: number,
  limits: ImportLimits,
  cellText: (value: ExcelJS.CellValue) => string,
): AsyncGenerator<RawRow> {
  const zip = await openZip(source);
  try {
    const entries = await listEntries(zip, limits);
    // The first sheet in the zip's order, as exceljs has always picked it.
    const sheet = [...entries.values()].find((entry) => SHEET.test(entry.fileName));
    if (!sheet) throw new ImportFileError("badXlsx");
    const needed = [...PARTS.map((name) => entries.get(name)), sheet].filter((entry): entry is yauzl.Entry => !!entry);
    const bytes = inflateBudget(fileBytes, limits);
    // An honest bomb says so in its headers: refused without inflating a byte.
    if (needed.reduce((sum, entry) => sum + entry.uncompressedSize, 0) > bytes)
      throw new ImportFileError("inflatesTooLarge", { mb: toMb(bytes) });
    // A lying one is refused here, after inflating no more than the budget:
    // zlib alone runs through it in well under a second, where parsing the
    // same XML would take many.
    const firstPass = new InflateBudget(bytes);
    for (const entry of needed) await drain(await openEntry(zip, entry, firstPass));

    try {
      for await (const row of sheetRows(zip, entries, sheet, new InflateBudget(bytes))) {
        // Sparse and 1-based. Only the cells the sheet holds are visited: a
        // row whose one cell sits in column XFD costs one cell, not 16,384.
        const values = row.values as ExcelJS.CellValue[];
        const cells: string[] = [];
        values.forEach((value, i) => {
          const text = i > 0 ? cellText(value ?? null) : "";
          if (text === "") return;
          while (cells.length < i - 1) cells.push("");
          cells[i - 1] = text;
        });
        yield { row: row.number, cells };
      }
    } catch (error) {
      if (error instanceof ImportFileError) throw error;
      throw new ImportFileError("badXlsx");
    }
  } finally {
    zip.close();
  }
}
