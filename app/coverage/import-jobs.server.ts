import { mkdir, rename, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import { z } from "zod";
import { enqueueJob, registerJobHandler, type JobContext } from "~/jobs/queue.server";
import { inlineOwner, runJobInline } from "~/jobs/runner.server";
import { getSql } from "~/db/sql.server";
import { db } from "~/utils/db.server";
import { getEnv } from "~/utils/env.server";
import { vietnamDay } from "./dates";
import { sortableId } from "~/utils/ids.server";
import {
  allRejects,
  runImport,
  serializeFailure,
  type ImportKind,
  type ImportOutcome,
  type ImportProgress,
  type Importer,
  type Reject,
} from "./imports.server";
import { rosterImporter } from "./roster-import.server";
import type { Actor } from "./scope.server";
import { trainingImporter } from "./training-import.server";

// Imports are durable jobs. The uploaded file is kept under
// MEDIA_DIR/imports/<job id> until the import ends; the "import" job reads it,
// checks every row and writes accepted rows a chunk per transaction. If the
// process dies halfway, the job's heartbeat stops and a runner queues it
// again: it reads the same file and, since writing a row that is already
// there changes nothing, carries on from the last committed chunk. Imports
// are serial across all processes: two files naming the same new personnel
// code at once would otherwise race for it.

const IMPORTERS: Record<ImportKind, Importer<never>> = {
  ROSTER: rosterImporter as Importer<never>,
  TRAINING: trainingImporter as Importer<never>,
};

/** The file as bytes (the command line, demo data, tests) or as a file already on disk under MEDIA_DIR/imports, which the import takes over (an upload). */
export type ImportInput = { fileName: string; strict: boolean; actor: Actor; createdById: string | null } & (
  { bytes: Uint8Array } | { path: string }
);

const ActorSchema = z.union([
  z.object({
    kind: z.literal("user"),
    id: z.string(),
    role: z.enum(["LEARNER", "TRAINER", "COORDINATOR", "ADMIN"]),
    scopeProvinceId: z.string().nullable(),
    scopeAgencyId: z.string().nullable(),
  }),
  z.object({ kind: z.literal("system") }),
]);

const ImportPayload = z.object({
  importId: z.string().min(1),
  kind: z.enum(["ROSTER", "TRAINING"]),
  fileName: z.string().min(1).max(200),
  strict: z.boolean(),
  actor: ActorSchema,
  // The day the import was started: rows are judged against it on every attempt.
  today: z.number().int(),
});
type ImportPayload = z.infer<typeof ImportPayload>;

/** Interrupted imports get this many tries in all. */
const IMPORT_ATTEMPTS = 3;

function importFile(jobId: string): string {
  return path.join(getEnv().mediaDir, "imports", jobId);
}

async function removeFile(jobId: string) {
  await rm(importFile(jobId), { force: true });
}

/** Stores the file, the DataImport row and its job; on failure nothing stays behind. */
async function queueImport(
  kind: ImportKind,
  input: ImportInput,
  owner?: string,
): Promise<{ importId: string; jobId: string; payload: ImportPayload }> {
  const jobId = sortableId();
  const file = importFile(jobId);
  await mkdir(path.dirname(file), { recursive: true });
  if ("path" in input) await rename(input.path, file);
  else await writeFile(file, input.bytes);
  try {
    const payload = await db.$transaction(async (tx) => {
      const record = await tx.dataImport.create({
        data: {
          kind,
          fileName: input.fileName.slice(0, 200),
          strict: input.strict,
          status: "RUNNING",
          createdById: input.createdById,
          jobId,
        },
        select: { id: true },
      });
      const payload: ImportPayload = {
        importId: record.id,
        kind,
        fileName: input.fileName.slice(0, 200),
        strict: input.strict,
        actor: input.actor,
        today: vietnamDay(new Date()),
      };
      await enqueueJob(
        "import",
        payload,
        { id: jobId, createdById: input.createdById, maxAttempts: IMPORT_ATTEMPTS, lockedBy: owner },
        tx,
      );
      return payload;
    });
    return { importId: payload.importId, jobId, payload };
  } catch (error) {
    await removeFile(jobId);
    throw error;
  }
}

async function execute(
  payload: ImportPayload,
  ctx: JobContext,
  onProgress?: (p: ImportProgress) => void,
): Promise<ImportOutcome> {
  const outcome = await runImport(
    IMPORTERS[payload.kind],
    {
      importId: payload.importId,
      fileName: payload.fileName,
      source: { path: importFile(ctx.job.id) },
      strict: payload.strict,
      actor: payload.actor,
      today: payload.today,
    },
    (progress) => {
      onProgress?.(progress);
      void ctx.progress(progress.done, progress.total, progress.phase).catch(() => {});
    },
  );
  await removeFile(ctx.job.id);
  return outcome;
}

function summary(outcome: ImportOutcome) {
  return {
    status: outcome.status,
    total: outcome.total,
    accepted: outcome.accepted,
    rejected: outcome.rejected,
    ...outcome.counts,
  };
}

registerJobHandler("import", {
  payload: ImportPayload,
  serial: true,
  run: async (payload, ctx) => summary(await execute(payload, ctx)),
  // Out of attempts (or the file is gone): the import ends FAILED, never "running" forever.
  failed: async (payload, _error, job) => {
    await db.dataImport.updateMany({
      where: { id: payload.importId, status: "RUNNING" },
      data: {
        status: "FAILED",
        message: serializeFailure({ reason: interruptedReason(payload.kind), params: {} }),
        finishedAt: new Date(),
      },
    });
    await removeFile(job.id);
  },
});

/**
 * Why an import that ran out of attempts failed. A roster import on
 * PostgreSQL is one transaction (decision 160), so none of it was written; on
 * SQLite, and a training import anywhere, the slices committed before the
 * last stop are kept.
 */
export function interruptedReason(kind: ImportKind): "interrupted" | "interruptedNothingWritten" {
  return kind === "ROSTER" && getSql().dialect === "postgresql" ? "interruptedNothingWritten" : "interrupted";
}

/**
 * Runs an import to the end in this process (the CLI, demo data, tests); a
 * runner resumes it if the process dies. The outcome lists the kept rejects
 * in row order.
 */
export async function importNow(
  kind: ImportKind,
  input: ImportInput,
  onProgress?: (p: ImportProgress) => void,
): Promise<ImportOutcome & { rejects: Reject[] }> {
  const owner = inlineOwner();
  const { jobId, payload } = await queueImport(kind, input, owner);
  const outcome = await runJobInline(jobId, owner, (ctx) => execute(payload, ctx, onProgress), summary);
  return { ...outcome, rejects: await allRejects(outcome.importId) };
}

/** Queues an import and returns its id at once; the page shows the job's progress (the UI). */
export async function startImport(kind: ImportKind, input: ImportInput): Promise<string> {
  return (await queueImport(kind, input)).importId;
}

/**
 * Imports started before imports were jobs ran in a process that is gone:
 * they end FAILED with the "interrupted" message instead of "running" forever.
 */
export async function failOrphanImports(): Promise<number> {
  const { count } = await db.dataImport.updateMany({
    where: { status: "RUNNING", jobId: null },
    data: {
      status: "FAILED",
      message: serializeFailure({ reason: "interrupted", params: {} }),
      finishedAt: new Date(),
    },
  });
  return count;
}
