// The one place that says how big an import file may be. Every limit is
// enforced while the file streams in, so a hostile file is refused as soon as
// it crosses one, not after it has been read whole. See
// docs/decisions/026-hostile-imports.md.

export type ImportLimits = {
  /** Bytes of the uploaded file itself. A roster of 200,000 is about 25 MB as CSV. */
  fileBytes: number;
  /** Data rows after the header; 200,000 is the scale planned for. */
  rows: number;
  /** Cells in one row, up to its last non-empty one; the templates have under 16. */
  columns: number;
  /** Characters in one cell; no column the templates ask for comes near. */
  cellChars: number;
  /** Characters kept from all cells together: what the checking step holds in memory. */
  textChars: number;
  /** Entries in an XLSX file's zip; Excel writes about a dozen. */
  zipEntries: number;
  /** Inflated bytes an XLSX file may expand to: see inflateBudget. */
  inflatedBytesMin: number;
  inflatedBytesMax: number;
  inflatedRatio: number;
  /** Heap of the thread that parses the file; past it the file is refused as too complex. */
  parserHeapMb: number;
};

const MB = 1024 * 1024;

export const IMPORT_LIMITS: ImportLimits = {
  fileBytes: 64 * MB,
  rows: 500_000,
  columns: 64,
  cellChars: 2_000,
  textChars: 64 * MB,
  zipEntries: 1_000,
  inflatedBytesMin: 16 * MB,
  inflatedBytesMax: 512 * MB,
  inflatedRatio: 100,
  parserHeapMb: 128,
};

/**
 * Bytes an XLSX file may inflate to: 100 times its size (Excel's sheet XML
 * compresses 10–20 times), never below 16 MB so a small honest file always
 * fits, never above 512 MB.
 */
export function inflateBudget(fileBytes: number, limits: ImportLimits = IMPORT_LIMITS): number {
  return Math.min(limits.inflatedBytesMax, Math.max(limits.inflatedBytesMin, limits.inflatedRatio * fileBytes));
}

export const toMb = (bytes: number) => Math.round((bytes / MB) * 10) / 10;
