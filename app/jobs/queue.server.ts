import { z } from "zod";
import { sortableId } from "~/utils/ids.server";
import { db, type DbClient } from "~/utils/db.server";

// The durable job queue: one table, read and written by any process. Domains
// enqueue work here (in the transaction that decides it, when there is one)
// and register a handler for their kind; the runner (runner.server.ts) claims
// and runs jobs. See docs/decisions/030-durable-jobs.md.

export const JOB_KINDS = [
  "import",
  "email",
  "reminders",
  "media-gc",
  "certificates-export",
  "certificates-export-expiry",
] as const;
export type JobKind = (typeof JOB_KINDS)[number];

export type JobInfo = { id: string; kind: JobKind; attempts: number; maxAttempts: number; createdById: string | null };

export type JobContext = {
  job: JobInfo;
  /** Saves progress where every process can read it (throttled; the last call of a phase always lands). */
  progress(done: number, total: number, phase?: string): Promise<void>;
  /** Aborted when the runner stops: long handlers should end at a safe point. */
  signal: AbortSignal;
};

export type JobHandler<P> = {
  payload: z.ZodType<P>;
  /** Does the work; what it returns is stored as the job's result (JSON). A throw is retried while attempts remain. */
  run(payload: P, ctx: JobContext): Promise<unknown>;
  /** The job has failed for good (no attempts left, or interrupted on its last one): record it where users look. */
  failed?(payload: P, error: string, job: JobInfo): Promise<void>;
  /** At most one job of this kind runs at a time, across all processes. */
  serial?: boolean;
};

const handlers = new Map<JobKind, JobHandler<unknown>>();

export function registerJobHandler<P>(kind: JobKind, handler: JobHandler<P>) {
  handlers.set(kind, handler as JobHandler<unknown>);
}

export function jobHandler(kind: JobKind): JobHandler<unknown> | undefined {
  return handlers.get(kind);
}

export function registeredKinds(): JobKind[] {
  return [...handlers.keys()];
}

export type EnqueueOptions = {
  id?: string;
  createdById?: string | null;
  runAt?: Date;
  maxAttempts?: number;
  /** Created already RUNNING, leased to this owner (see runJobInline): no runner can claim it first. */
  lockedBy?: string;
};

/** Adds a job; pass the transaction client to make it part of a larger write. */
export async function enqueueJob(
  kind: JobKind,
  payload: unknown,
  options: EnqueueOptions = {},
  client: DbClient = db,
): Promise<string> {
  const id = options.id ?? sortableId();
  await client.job.create({
    data: {
      id,
      kind,
      payload: JSON.stringify(payload),
      status: options.lockedBy ? "RUNNING" : "QUEUED",
      ...(options.lockedBy
        ? { lockedBy: options.lockedBy, heartbeatAt: new Date(), startedAt: new Date(), attempts: 1 }
        : {}),
      runAt: options.runAt ?? new Date(),
      maxAttempts: options.maxAttempts ?? 3,
      createdById: options.createdById ?? null,
    },
  });
  if (!options.lockedBy) wake();
  return id;
}

// Runners in this process sleep between polls; a job enqueued here wakes them
// at once. Other processes find it at their next poll.
const sleepers = new Set<() => void>();
export function onEnqueue(listener: () => void): () => void {
  sleepers.add(listener);
  return () => sleepers.delete(listener);
}
function wake() {
  for (const listener of sleepers) listener();
}

export type JobView = {
  id: string;
  kind: string;
  status: "QUEUED" | "RUNNING" | "DONE" | "FAILED";
  attempts: number;
  maxAttempts: number;
  progressDone: number;
  progressTotal: number;
  progressPhase: string | null;
  error: string | null;
  result: unknown;
  createdAt: Date;
  startedAt: Date | null;
  finishedAt: Date | null;
  runAt: Date;
};

/** A job's stored JSON (payload, result), or null when absent or unreadable. */
export function parseJson(text: string | null): unknown {
  if (text === null) return null;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return null;
  }
}

/** A job's state, as any process sees it. */
export async function getJob(id: string): Promise<JobView | null> {
  const job = await db.job.findUnique({
    where: { id },
    select: {
      id: true,
      kind: true,
      status: true,
      attempts: true,
      maxAttempts: true,
      progressDone: true,
      progressTotal: true,
      progressPhase: true,
      error: true,
      result: true,
      createdAt: true,
      startedAt: true,
      finishedAt: true,
      runAt: true,
    },
  });
  return job ? { ...job, result: parseJson(job.result) } : null;
}

/** Reads a stored payload back through the kind's schema. */
export function parsePayload<P>(
  handler: JobHandler<P>,
  text: string,
): { ok: true; payload: P } | { ok: false; error: string } {
  const json = parseJson(text);
  const parsed = handler.payload.safeParse(json);
  return parsed.success
    ? { ok: true, payload: parsed.data }
    : { ok: false, error: `invalid payload: ${parsed.error.issues[0]?.message ?? "?"}` };
}
