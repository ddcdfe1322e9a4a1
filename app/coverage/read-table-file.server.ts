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

/**
 * The file's rows a batch at a time, as the caller takes them: the worker
 * parses the next batch only once this one is taken, so neither thread holds
 * more than a batch or two of the file. Throws the ImportFileError that
 * refuses the file at the batch where it crosses a limit. Stopping early
 * (break, return, a throw) ends the worker.
 */
export async function* tableBatches(
  fileName: string,
  source: TableSource,
  columns: TableColumns,
  limits: ImportLimits = IMPORT_LIMITS,
): AsyncGenerator<TableRow[]> {
  yield* tableBatchesIn(await workerScript("coverage/table-file-worker"), { fileName, source, columns, limits });
}

/** tableBatches with the worker's script named: the production build's, in its test. */
export async function* tableBatchesIn(script: string, request: TableWorkerRequest): AsyncGenerator<TableRow[]> {
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
  // What the worker said and nobody has taken yet: at most one batch and its end.
  const said: ({ rows: TableRow[] } | { end: true } | { error: Error })[] = [];
  let wake: (() => void) | null = null;
  const hear = (item: (typeof said)[number]) => {
    said.push(item);
    wake?.();
    wake = null;
  };
  worker.on("message", (message: TableWorkerMessage) => {
    switch (message.type) {
      case "rows":
        hear({ rows: message.rows });
        break;
      case "done":
        hear({ end: true });
        break;
      case "refused":
        hear({ error: new ImportFileError(message.reason, message.params) });
        break;
      case "failed":
        hear({ error: new Error(`the import file's worker failed: ${message.message}`) });
        break;
    }
  });
  worker.on("error", (error: Error & { code?: string }) => {
    hear({ error: error.code === "ERR_WORKER_OUT_OF_MEMORY" ? new ImportFileError("tooComplex") : error });
  });
  // Heard after the end unless the worker died without a word.
  worker.on("exit", (code) =>
    hear({ error: new Error(`the import file's worker exited (${code}) before it finished`) }),
  );
  try {
    for (;;) {
      if (said.length === 0) await new Promise<void>((resolve) => (wake = resolve));
      const item = said.shift()!;
      if ("error" in item) throw item.error;
      if ("end" in item) return;
      // Asked for before this one is checked: the worker parses while the caller checks.
      worker.postMessage("next");
      yield item.rows;
    }
  } finally {
    void worker.terminate();
  }
}

/** Reads the whole file into rows, or throws the ImportFileError that refuses it (small files and tests). */
export async function readTableFile(
  fileName: string,
  source: TableSource,
  columns: TableColumns,
  limits: ImportLimits = IMPORT_LIMITS,
): Promise<TableFile> {
  return readTableFileIn(await workerScript("coverage/table-file-worker"), { fileName, source, columns, limits });
}

/** readTableFile with the worker's script named: the production build's, in its test. */
export async function readTableFileIn(script: string, request: TableWorkerRequest): Promise<TableFile> {
  const rows: TableRow[] = [];
  for await (const batch of tableBatchesIn(script, request)) for (const row of batch) rows.push(row);
  return { rows };
}
