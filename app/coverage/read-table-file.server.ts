import type { ImportLimits } from "./import-limits";
import { IMPORT_LIMITS } from "./import-limits";
import { parseTableFile, type TableColumns, type TableFile, type TableRow, type TableSource } from "./table-file.server";

/** Reads the whole file into rows, or throws the ImportFileError that refuses it. */
export async function readTableFile(
  fileName: string,
  source: TableSource,
  columns: TableColumns,
  limits: ImportLimits = IMPORT_LIMITS,
): Promise<TableFile> {
  const rows: TableRow[] = [];
  await parseTableFile(fileName, source, columns, async (batch) => void rows.push(...batch), limits);
  return { rows };
}
