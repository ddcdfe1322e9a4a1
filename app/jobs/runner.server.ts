import { randomBytes } from "node:crypto";
import { hostname } from "node:os";
import type { Expression, ExpressionBuilder, Kysely, SqlBool } from "kysely";
import { compileFor, fragment, getSql, inList, type DB } from "~/db/sql.server";
import { db } from "~/utils/db.server";
import { getEnv } from "~/utils/env.server";
import { logger } from "~/utils/logger.server";
import {
  jobHandler,
  onEnqueue,
  parsePayload,
  registeredKinds,
  type JobContext,
  type JobInfo,
  type JobKind,
} from "./queue.server";

// Runs queued jobs. Any number of processes may run one on PostgreSQL: a job
// is claimed with FOR UPDATE SKIP LOCKED, so each goes to exactly one runner.
// On SQLite one process runs it (the server), and a claim is one conditional
// UPDATE. A running job's heartbeat is renewed every few seconds; a job whose
// heartbeat stopped (its process died) is queued again while it has attempts
// left, or failed with a message, by whichever runner notices first.

export type RunnerOptions = {
  /** Time between polls when idle. */
  pollMs?: number;
  /** Heartbeat period for the runner and its running jobs. */
  heartbeatMs?: number;
  /** A RUNNING job whose heartbeat is older than this was abandoned. */
  staleMs?: number;
  /** Jobs run at once by this runner. */
  concurrency?: number;
  /** Kinds this runner takes (default: every registered kind). */
  kinds?: JobKind[];
};

const DEFAULTS = { pollMs: 1000, heartbeatMs: 5000, staleMs: 30_000, concurrency: 2 } as const;

// Seconds before retry n (1-based): 15 s, 60 s, 4 min, … capped at an hour.
export function retryDelayMs(attempt: number): number {
  return Math.min(15_000 * 4 ** Math.max(0, attempt - 1), 3_600_000);
}

function message(error: unknown): string {
  return (error instanceof Error ? error.message : String(error)).slice(0, 2000);
}

export class JobRunner {
  readonly id = `${hostname()}:${process.pid}:${randomBytes(4).toString("hex")}`;
  private readonly options: Required<Omit<RunnerOptions, "kinds">> & { kinds?: JobKind[] };
  private readonly running = new Map<string, { kind: JobKind; abort: AbortController; done: Promise<void> }>();
  private stopped = true;
  private timers: NodeJS.Timeout[] = [];
  private wakeUp: (() => void) | null = null;
  private loop: Promise<void> | null = null;
  private unsubscribe: (() => void) | null = null;

  constructor(options: RunnerOptions = {}) {
    this.options = { ...DEFAULTS, ...options };
  }

  get busy(): number {
    return this.running.size;
  }

  async start() {
    if (!this.stopped) return;
    this.stopped = false;
    const now = new Date();
    await db.jobRunner.upsert({
      where: { id: this.id },
      create: { id: this.id, host: hostname(), pid: process.pid, heartbeatAt: now },
      update: { heartbeatAt: now },
    });
    await this.recover();
    this.timers.push(
      setInterval(
        () => void this.heartbeat().catch((e) => logger.error({ err: e }, "job heartbeat failed")),
        this.options.heartbeatMs,
      ),
      setInterval(
        () => void this.recover().catch((e) => logger.error({ err: e }, "job recovery failed")),
        Math.max(1000, this.options.staleMs / 3),
      ),
    );
    for (const timer of this.timers) timer.unref();
    this.unsubscribe = onEnqueue(() => this.wakeUp?.());
    this.loop = this.pollLoop();
  }

  /** Stops claiming, aborts running jobs' signals and waits for them (up to `graceMs`). */
  async stop(graceMs = 10_000) {
    if (this.stopped) return;
    this.stopped = true;
    this.unsubscribe?.();
    for (const timer of this.timers) clearInterval(timer);
    this.timers = [];
    this.wakeUp?.();
    for (const job of this.running.values()) job.abort.abort();
    await Promise.race([
      Promise.allSettled([...this.running.values()].map((j) => j.done)),
      new Promise((resolve) => setTimeout(resolve, graceMs).unref()),
    ]);
    await this.loop;
    await db.jobRunner.deleteMany({ where: { id: this.id } }).catch(() => {});
  }

  private async pollLoop() {
    while (!this.stopped) {
      let claimed = false;
      if (this.running.size < this.options.concurrency) {
        try {
          claimed = await this.claimAndRun();
        } catch (error) {
          logger.error({ err: error }, "job claim failed");
        }
      }
      if (!claimed && !this.stopped) {
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, this.options.pollMs);
          this.wakeUp = () => {
            clearTimeout(timer);
            resolve();
          };
        });
        this.wakeUp = null;
      }
    }
  }

  private kinds(): JobKind[] {
    return this.options.kinds ?? registeredKinds();
  }

  /** Claims one job and starts it; false when there was none to take. */
  async claimAndRun(): Promise<boolean> {
    const kinds = this.kinds().filter((kind) => {
      // A serial kind already running here cannot be claimed twice by this runner.
      if (!jobHandler(kind)?.serial) return true;
      return ![...this.running.values()].some((job) => job.kind === kind);
    });
    if (kinds.length === 0) return false;
    const id = await this.claim(kinds);
    if (!id) return false;
    const row = await db.job.findUnique({ where: { id } });
    if (!row) return false;
    const info: JobInfo = {
      id,
      kind: row.kind as JobKind,
      attempts: row.attempts,
      maxAttempts: row.maxAttempts,
      createdById: row.createdById,
    };
    const abort = new AbortController();
    const done = this.execute(info, row.payload, abort.signal).finally(() => {
      this.running.delete(id);
      this.wakeUp?.();
    });
    this.running.set(id, { kind: info.kind, abort, done });
    return true;
  }

  private async claim(kinds: JobKind[]): Promise<string | null> {
    const serial = kinds.filter((kind) => jobHandler(kind)?.serial);
    const free = kinds.filter((kind) => !serial.includes(kind));
    if (getEnv().databaseProvider === "postgresql") return this.claimPostgres(free, serial);
    return this.claimSqlite(free, serial);
  }

  private async claimPostgres(free: JobKind[], serial: JobKind[]): Promise<string | null> {
    const utcNow = fragment<Date>`(now() AT TIME ZONE 'UTC')`;
    // Claims the oldest due job of these kinds that no other claimer holds.
    const claim = (q: Kysely<DB>, kinds: (eb: ExpressionBuilder<DB & { r: DB["Job"] }, "r">) => Expression<SqlBool>) =>
      q
        .updateTable("Job")
        .set((eb) => ({
          status: "RUNNING",
          lockedBy: this.id,
          heartbeatAt: utcNow,
          startedAt: eb.fn.coalesce("startedAt", utcNow),
          attempts: eb("attempts", "+", 1),
        }))
        .where("id", "=", (eb) =>
          eb
            .selectFrom("Job as r")
            .select("r.id")
            .where("r.status", "=", "QUEUED")
            .where("r.runAt", "<=", utcNow)
            .where(kinds)
            .orderBy("r.runAt")
            .orderBy("r.id")
            .limit(1)
            .forUpdate()
            .skipLocked(),
        )
        .returning("id");
    if (free.length > 0) {
      const sql = getSql();
      const row = await sql.first(claim(sql.db, (eb) => inList(sql, eb.ref("r.kind"), free)));
      if (row) return row.id;
    }
    for (const kind of serial) {
      // One claimer at a time decides for a serial kind (the lock ends with the
      // transaction); a job of the kind already RUNNING anywhere blocks the rest.
      const id = await db.$transaction(async (tx) => {
        const take = compileFor("postgresql", (q) =>
          q.selectNoFrom(fragment<boolean>`pg_try_advisory_xact_lock(727100, hashtext(${kind}))`.as("locked")),
        );
        const [lock] = await tx.$queryRawUnsafe<{ locked: boolean }[]>(take.text, ...take.values);
        if (!lock?.locked) return null;
        // Built typed, run on the transaction's connection: the advisory lock is held there.
        const query = compileFor("postgresql", (q) =>
          claim(q, (eb) =>
            eb.and([
              eb("r.kind", "=", kind),
              eb.not(
                eb.exists(
                  eb
                    .selectFrom("Job as running")
                    .select("running.id")
                    .where("running.kind", "=", kind)
                    .where("running.status", "=", "RUNNING"),
                ),
              ),
            ]),
          ),
        );
        const rows = await tx.$queryRawUnsafe<{ id: string }[]>(query.text, ...query.values);
        return rows[0]?.id ?? null;
      });
      if (id) return id;
    }
    return null;
  }

  private async claimSqlite(free: JobKind[], serial: JobKind[]): Promise<string | null> {
    const now = new Date();
    const runningSerial = serial.length
      ? new Set(
          (await db.job.findMany({ where: { status: "RUNNING", kind: { in: serial } }, select: { kind: true } })).map(
            (j) => j.kind,
          ),
        )
      : new Set<string>();
    const kinds = [...free, ...serial.filter((kind) => !runningSerial.has(kind))];
    if (kinds.length === 0) return null;
    const candidates = await db.job.findMany({
      where: { status: "QUEUED", runAt: { lte: now }, kind: { in: kinds } },
      orderBy: [{ runAt: "asc" }, { id: "asc" }],
      take: 5,
      select: { id: true, kind: true },
    });
    const claimedSerial = new Set<string>();
    for (const candidate of candidates) {
      if (serial.includes(candidate.kind as JobKind)) {
        if (claimedSerial.has(candidate.kind)) continue;
        claimedSerial.add(candidate.kind);
      }
      // Conditional on the status it had: whoever updates first owns it.
      const { count } = await db.job.updateMany({
        where: { id: candidate.id, status: "QUEUED" },
        data: { status: "RUNNING", lockedBy: this.id, heartbeatAt: now, startedAt: now, attempts: { increment: 1 } },
      });
      if (count === 1) return candidate.id;
    }
    return null;
  }

  private async execute(info: JobInfo, payloadText: string, signal: AbortSignal) {
    const handler = jobHandler(info.kind);
    const log = logger.child({ job: info.id, kind: info.kind, attempt: info.attempts });
    if (!handler) {
      await this.finish(info, { status: "FAILED", error: `no handler for job kind ${info.kind}` });
      return;
    }
    const parsed = parsePayload(handler, payloadText);
    if (!parsed.ok) {
      await this.finish(info, { status: "FAILED", error: parsed.error });
      return;
    }
    let lastSaved = 0;
    let lastPhase: string | undefined;
    const ctx: JobContext = {
      job: info,
      signal,
      progress: async (done, total, phase) => {
        const now = Date.now();
        // total 0: not known yet (an import checking rows as it reads them), so not the end either.
        if (phase === lastPhase && now - lastSaved < 500 && (total === 0 || done < total)) return;
        lastSaved = now;
        lastPhase = phase;
        await db.job.updateMany({
          where: { id: info.id, lockedBy: this.id },
          data: { progressDone: done, progressTotal: total, progressPhase: phase ?? null, heartbeatAt: new Date() },
        });
      },
    };
    log.info("job started");
    try {
      const result = await handler.run(parsed.payload, ctx);
      await this.finish(info, { status: "DONE", result });
      log.info("job done");
    } catch (error) {
      const text = message(error);
      if (info.attempts < info.maxAttempts && !signal.aborted) {
        log.warn({ err: error }, "job failed; will retry");
        await db.job.updateMany({
          where: { id: info.id, lockedBy: this.id },
          data: {
            status: "QUEUED",
            lockedBy: null,
            error: text,
            runAt: new Date(Date.now() + retryDelayMs(info.attempts)),
          },
        });
      } else if (signal.aborted) {
        // Stopped with the process: leave it for recovery, which resumes it.
        log.warn("job interrupted by shutdown");
      } else {
        log.error({ err: error }, "job failed");
        await this.finish(info, { status: "FAILED", error: text });
        await handler
          .failed?.(parsed.payload, text, info)
          .catch((e) => log.error({ err: e }, "job failure hook failed"));
      }
    }
  }

  private async finish(
    info: JobInfo,
    outcome: { status: "DONE"; result: unknown } | { status: "FAILED"; error: string },
  ) {
    await db.job.updateMany({
      where: { id: info.id, lockedBy: this.id },
      data: {
        status: outcome.status,
        finishedAt: new Date(),
        lockedBy: null,
        ...(outcome.status === "DONE"
          ? { result: JSON.stringify(outcome.result ?? null), error: null }
          : { error: outcome.error }),
      },
    });
  }

  private async heartbeat() {
    const now = new Date();
    await db.jobRunner.upsert({
      where: { id: this.id },
      create: { id: this.id, host: hostname(), pid: process.pid, heartbeatAt: now },
      update: { heartbeatAt: now },
    });
    if (this.running.size > 0) {
      await db.job.updateMany({
        where: { id: { in: [...this.running.keys()] }, lockedBy: this.id },
        data: { heartbeatAt: now },
      });
    }
  }

  /** Jobs whose runner stopped beating: queued again, or failed on their last attempt. */
  async recover(now = new Date()): Promise<{ requeued: number; failed: number }> {
    const staleBefore = new Date(now.getTime() - this.options.staleMs);
    const stale = await db.job.findMany({
      where: { status: "RUNNING", OR: [{ heartbeatAt: { lt: staleBefore } }, { heartbeatAt: null }] },
      select: {
        id: true,
        kind: true,
        attempts: true,
        maxAttempts: true,
        lockedBy: true,
        payload: true,
        createdById: true,
      },
    });
    let requeued = 0;
    let failed = 0;
    for (const job of stale) {
      if (this.running.has(job.id)) continue;
      const retry = job.attempts < job.maxAttempts;
      const error = retry
        ? "interrupted: the process running it stopped; resumed"
        : "interrupted: the process running it stopped, and no attempts are left";
      const { count } = await db.job.updateMany({
        where: { id: job.id, status: "RUNNING", lockedBy: job.lockedBy },
        data: retry
          ? { status: "QUEUED", lockedBy: null, error, runAt: now }
          : { status: "FAILED", lockedBy: null, error, finishedAt: now },
      });
      if (count !== 1) continue;
      logger.warn(
        { job: job.id, kind: job.kind, attempts: job.attempts },
        retry ? "abandoned job queued again" : "abandoned job failed",
      );
      if (retry) requeued++;
      else {
        failed++;
        const handler = jobHandler(job.kind as JobKind);
        const parsed = handler ? parsePayload(handler, job.payload) : null;
        if (handler && parsed?.ok) {
          const info: JobInfo = {
            id: job.id,
            kind: job.kind as JobKind,
            attempts: job.attempts,
            maxAttempts: job.maxAttempts,
            createdById: job.createdById,
          };
          await handler
            .failed?.(parsed.payload, error, info)
            .catch((e) => logger.error({ err: e }, "job failure hook failed"));
        }
      }
    }
    if (requeued > 0) this.wakeUp?.();
    // Runners that stopped beating long ago are forgotten.
    await db.jobRunner.deleteMany({
      where: { heartbeatAt: { lt: new Date(now.getTime() - 10 * this.options.staleMs) } },
    });
    return { requeued, failed };
  }

  /** For tests and the CLI: resolves when nothing this runner can take is queued or running here. */
  async drain(timeoutMs = 60_000) {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      if (this.running.size === 0) {
        const pending = await db.job.count({
          where: {
            OR: [
              { status: "QUEUED", runAt: { lte: new Date() }, kind: { in: this.kinds() } },
              // Claimed a moment ago, not yet started here.
              { status: "RUNNING", lockedBy: this.id },
            ],
          },
        });
        if (pending === 0 && this.running.size === 0) return;
        this.wakeUp?.();
      }
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    throw new Error("job runner did not drain in time");
  }
}

let current: JobRunner | null = null;

/** The process's runner (the server starts it; JOB_RUNNER=false leaves it off). */
export async function startJobRunner(options?: RunnerOptions): Promise<JobRunner> {
  if (current) return current;
  current = new JobRunner(options);
  await current.start();
  return current;
}

export async function stopJobRunner() {
  const runner = current;
  current = null;
  await runner?.stop();
}

/** Last heartbeat of any runner, for /healthz. */
export async function lastRunnerHeartbeat(): Promise<Date | null> {
  const row = await db.jobRunner.findFirst({ orderBy: { heartbeatAt: "desc" }, select: { heartbeatAt: true } });
  return row?.heartbeatAt ?? null;
}

/** An owner id for a job run in this process by runJobInline (pass it to enqueueJob as `lockedBy`). */
export function inlineOwner(): string {
  return `inline:${hostname()}:${process.pid}:${randomBytes(4).toString("hex")}`;
}

/**
 * Runs job `id`, enqueued already leased to `owner`, in this process at once:
 * for commands that want the outcome in hand (the import CLI). The lease has
 * a heartbeat like any other; if this process dies, a runner elsewhere finds
 * the heartbeat stale and resumes the job. Returns what `fn` returns; stores
 * `summary(result)` as the job's result.
 */
export async function runJobInline<T>(
  id: string,
  owner: string,
  fn: (ctx: JobContext) => Promise<T>,
  summary: (result: T) => unknown = () => null,
): Promise<T> {
  const row = await db.job.findUniqueOrThrow({ where: { id } });
  const beat = setInterval(() => {
    void db.job.updateMany({ where: { id, lockedBy: owner }, data: { heartbeatAt: new Date() } }).catch(() => {});
  }, DEFAULTS.heartbeatMs);
  beat.unref();
  let lastSaved = 0;
  const ctx: JobContext = {
    job: {
      id,
      kind: row.kind as JobKind,
      attempts: row.attempts,
      maxAttempts: row.maxAttempts,
      createdById: row.createdById,
    },
    signal: new AbortController().signal,
    progress: async (done, total, phase) => {
      if (Date.now() - lastSaved < 500 && (total === 0 || done < total)) return;
      lastSaved = Date.now();
      await db.job.updateMany({
        where: { id, lockedBy: owner },
        data: { progressDone: done, progressTotal: total, progressPhase: phase ?? null, heartbeatAt: new Date() },
      });
    },
  };
  try {
    const result = await fn(ctx);
    await db.job.updateMany({
      where: { id, lockedBy: owner },
      data: { status: "DONE", finishedAt: new Date(), lockedBy: null, result: JSON.stringify(summary(result) ?? null) },
    });
    return result;
  } catch (error) {
    await db.job.updateMany({
      where: { id, lockedBy: owner },
      data: { status: "FAILED", finishedAt: new Date(), lockedBy: null, error: message(error) },
    });
    throw error;
  } finally {
    clearInterval(beat);
  }
}
