import { vietnamDay } from "./dates";
import { createImportRecord, runImport, type ImportKind, type ImportOutcome, type ImportProgress, type Importer } from "./imports.server";
import { rosterImporter } from "./roster-import.server";
import type { Actor } from "./scope.server";
import { trainingImporter } from "./training-import.server";

const IMPORTERS: Record<ImportKind, Importer<never>> = {
  ROSTER: rosterImporter as Importer<never>,
  TRAINING: trainingImporter as Importer<never>,
};

export type ImportInput = { fileName: string; bytes: Uint8Array; strict: boolean; actor: Actor; createdById: string | null };

// Imports in this process run one after another: two files naming the same
// new personnel code at once would otherwise race for it.
let queue: Promise<unknown> = Promise.resolve();

function enqueue<T>(job: () => Promise<T>): Promise<T> {
  const next = queue.then(job, job);
  queue = next.catch(() => {});
  return next;
}

/** Runs an import to the end (the CLI). */
export async function importNow(kind: ImportKind, input: ImportInput, onProgress?: (p: ImportProgress) => void): Promise<ImportOutcome> {
  const importId = await createImportRecord(kind, input.fileName, input.strict, input.createdById);
  return enqueue(() => runImport(IMPORTERS[kind], { ...input, importId, today: vietnamDay(new Date()) }, onProgress));
}

/** Starts an import and returns its id at once; the page polls its progress (the UI). */
export async function startImport(kind: ImportKind, input: ImportInput): Promise<string> {
  const importId = await createImportRecord(kind, input.fileName, input.strict, input.createdById);
  void enqueue(() => runImport(IMPORTERS[kind], { ...input, importId, today: vietnamDay(new Date()) }));
  return importId;
}
