import { Worker } from "node:worker_threads";
import { workerScript } from "~/utils/workers.server";
import { IMPORT_LIMITS, type ImportLimits } from "./import-limits";
import type { TableWorkerMessage, TableWorkerRequest } from "./table-file-worker.server";
import {
  ImportFileError,
  type TableColumns,
  type TableFile,
  type TableRow,
  type TableSource,
} from "./table-file.server";

// Parsing a 50 MB file takes seconds of CPU: in the web server's own thread
// it would hold every other request for as long. It runs in a worker thread
// with a heap of its own, bounded so that a file built to exhaust memory
// fails the worker and not the server, and hands rows over a batch at a time.

/** Reads the whole file into rows, or throws the ImportFileError that refuses it. */
export async function readTableFile(
  fileName: string,
  source: TableSource,
  columns: TableColumns,
  limits: ImportLimits = IMPORT_LIMITS,
): Promise<TableFile> {
  return readTableFileIn(await workerScript("coverage/table-file-worker"), { fileName, source, columns, limits });
}

/** readTableFile with the worker's script named: the production build's, in its test. */
export function readTableFileIn(script: string, request: TableWorkerRequest): Promise<TableFile> {
  const worker = new Worker(script, {
    workerData: request,
    resourceLimits: {
      maxOldGenerationSizeMb: request.limits.parserHeapMb,
      maxYoungGenerationSizeMb: 16,
      stackSizeMb: 4,
    },
    stdout: false,
    stderr: false,
  });
  const rows: TableRow[] = [];
  return new Promise<TableFile>((resolve, reject) => {
    worker.on("message", (message: TableWorkerMessage) => {
      switch (message.type) {
        case "rows":
          for (const row of message.rows) rows.push(row);
          // The next batch after other requests have had their turn.
          setImmediate(() => worker.postMessage("next"));
          break;
        case "done":
          resolve({ rows });
          break;
        case "refused":
          reject(new ImportFileError(message.reason, message.params));
          break;
        case "failed":
          reject(new Error(`the import file's worker failed: ${message.message}`));
          break;
      }
    });
    worker.on("error", (error: Error & { code?: string }) => {
      reject(error.code === "ERR_WORKER_OUT_OF_MEMORY" ? new ImportFileError("tooComplex") : error);
    });
    // Settled already unless the worker died without a word.
    worker.on("exit", (code) => reject(new Error(`the import file's worker exited (${code}) before it finished`)));
  }).finally(() => void worker.terminate());
}
