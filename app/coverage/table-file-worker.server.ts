import { parentPort, workerData } from "node:worker_threads";
import type { ImportLimits } from "./import-limits";
import {
  ImportFileError,
  parseTableFile,
  type TableColumns,
  type TableRow,
  type TableSource,
} from "./table-file.server";

// The worker thread that parses an import file (read-table-file.server.ts
// starts it): rows go to the main thread a batch at a time, the next batch
// only once the main thread asks for it.

export type TableWorkerRequest = { fileName: string; source: TableSource; columns: TableColumns; limits: ImportLimits };
export type TableWorkerMessage =
  | { type: "rows"; rows: TableRow[] }
  | { type: "done"; rows: number }
  | { type: "refused"; reason: string; params: Record<string, string | number> }
  | { type: "failed"; message: string };

const port = parentPort!;
let next: (() => void) | null = null;
port.on("message", (message: unknown) => {
  if (message === "next") next?.();
});

const send = (message: TableWorkerMessage) => port.postMessage(message);

const { fileName, source, columns, limits } = workerData as TableWorkerRequest;
try {
  const { rows } = await parseTableFile(
    fileName,
    source,
    columns,
    (batch) =>
      new Promise<void>((resolve) => {
        next = resolve;
        send({ type: "rows", rows: batch });
      }),
    limits,
  );
  send({ type: "done", rows });
} catch (error) {
  if (error instanceof ImportFileError) send({ type: "refused", reason: error.reason, params: error.params });
  else send({ type: "failed", message: error instanceof Error ? (error.stack ?? error.message) : String(error) });
} finally {
  port.close();
}
