import { crc32, createDeflateRaw, deflateRawSync } from "node:zlib";

// Zip and XLSX files built in memory for the hostile-import tests: honest
// files, bombs that say how big they are, bombs whose headers lie, and zips
// with too many entries. Written by hand (local headers, central directory,
// end record) so a test can make the headers say anything.

export type Deflated = { deflated: Buffer; size: number; crc: number };
/** One entry: its bytes, and optionally the size its headers claim instead of the truth. */
export type ZipEntry = { name: string; data: Buffer | Deflated; claimedSize?: number };

export function deflate(data: Buffer): Deflated {
  return { deflated: deflateRawSync(data), size: data.length, crc: crc32(data) };
}

/** `head`, then `filler` `times` times, then `tail`, deflated as a stream: never all in memory. */
export async function deflateRepeated(head: string, filler: Buffer, times: number, tail: string): Promise<Deflated> {
  const stream = createDeflateRaw({ level: 9 });
  const chunks: Buffer[] = [];
  stream.on("data", (chunk: Buffer) => chunks.push(chunk));
  const ended = new Promise((resolve, reject) => stream.on("end", resolve).on("error", reject));
  const write = (data: Buffer) =>
    stream.write(data) ? Promise.resolve() : new Promise((resolve) => stream.once("drain", resolve));
  let crc = crc32(head);
  await write(Buffer.from(head));
  for (let i = 0; i < times; i++) {
    crc = crc32(filler, crc);
    await write(filler);
  }
  crc = crc32(tail, crc);
  stream.end(Buffer.from(tail));
  await ended;
  return {
    deflated: Buffer.concat(chunks),
    size: Buffer.byteLength(head) + filler.length * times + Buffer.byteLength(tail),
    crc,
  };
}

export function makeZip(entries: ZipEntry[]): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const entry of entries) {
    const { deflated, size, crc } = Buffer.isBuffer(entry.data) ? deflate(entry.data) : entry.data;
    const claimed = entry.claimedSize ?? size;
    const name = Buffer.from(entry.name, "utf8");
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4); // version needed
    local.writeUInt16LE(0x0800, 6); // names in UTF-8
    local.writeUInt16LE(8, 8); // deflate
    local.writeUInt16LE(0, 10);
    local.writeUInt16LE(0x21, 12); // 1980-01-01
    local.writeUInt32LE(crc >>> 0, 14);
    local.writeUInt32LE(deflated.length, 18);
    local.writeUInt32LE(claimed, 22);
    local.writeUInt16LE(name.length, 26);
    local.writeUInt16LE(0, 28);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(20, 4); // made by
    central.writeUInt16LE(20, 6);
    central.writeUInt16LE(0x0800, 8);
    central.writeUInt16LE(8, 10);
    central.writeUInt16LE(0, 12);
    central.writeUInt16LE(0x21, 14);
    central.writeUInt32LE(crc >>> 0, 16);
    central.writeUInt32LE(deflated.length, 20);
    central.writeUInt32LE(claimed, 24);
    central.writeUInt16LE(name.length, 28);
    central.writeUInt32LE(offset, 42);
    locals.push(local, name, deflated);
    centrals.push(central, name);
    offset += local.length + name.length + deflated.length;
  }
  const directory = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(directory.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, directory, end]);
}

// ------------------------------------------------------------------ XLSX

const escape = (text: string) => text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");

const column = (index: number): string =>
  (index < 26 ? "" : column(Math.floor(index / 26) - 1)) + String.fromCharCode(65 + (index % 26));

export function sheetRowsXml(rows: readonly (readonly string[])[], firstRow = 1): string {
  return rows
    .map((cells, r) => {
      const n = firstRow + r;
      const xml = cells
        .map((text, c) => `<c r="${column(c)}${n}" t="inlineStr"><is><t>${escape(text)}</t></is></c>`)
        .join("");
      return `<row r="${n}">${xml}</row>`;
    })
    .join("");
}

export const SHEET_HEAD = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>`;
export const SHEET_TAIL = `</sheetData></worksheet>`;

/** The parts around the sheet that Excel writes and exceljs reads. */
function workbookParts(): ZipEntry[] {
  const parts: Record<string, string> = {
    "[Content_Types].xml": `<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>`,
    "_rels/.rels": `<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>`,
    "xl/workbook.xml": `<?xml version="1.0" encoding="UTF-8" standalone="yes"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>`,
    "xl/_rels/workbook.xml.rels": `<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>`,
  };
  return Object.entries(parts).map(([name, xml]) => ({ name, data: Buffer.from(xml) }));
}

/** An XLSX whose first sheet holds these rows as inline strings; `extra` entries go after it. */
export function makeXlsx(rows: readonly (readonly string[])[], extra: ZipEntry[] = []): Buffer {
  const sheet = Buffer.from(SHEET_HEAD + sheetRowsXml(rows) + SHEET_TAIL);
  return makeZip([...workbookParts(), { name: "xl/worksheets/sheet1.xml", data: sheet }, ...extra]);
}

/**
 * An XLSX whose sheet, after its header row, inflates to `mb` megabytes of
 * blank space: a zip bomb. With `lie`, its local and central headers claim
 * the sheet is a kilobyte.
 */
export async function makeXlsxBomb(header: readonly string[], mb: number, options: { lie: boolean }): Promise<Buffer> {
  const sheet = await deflateRepeated(
    SHEET_HEAD + sheetRowsXml([header]),
    Buffer.alloc(1024 * 1024, " "),
    mb,
    SHEET_TAIL,
  );
  const claimedSize = options.lie ? 1024 : undefined;
  return makeZip([...workbookParts(), { name: "xl/worksheets/sheet1.xml", data: sheet, claimedSize }]);
}
