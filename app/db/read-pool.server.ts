import { Worker } from "node:worker_threads";
import { workerScript } from "~/utils/workers.server";
import type { ReadReply, ReadRequest, ReadWorkerData } from "./sqlite-read-worker.server";

// better-sqlite3 runs a query on the thread that calls it: a coverage report
// over 200,000 people on the web server's thread held every other request for
// as long (issue 13). Reports' reads go to a few worker threads instead, each
// with its own read-only connection (docs/decisions/140-reports-off-the-event-loop.md).

type Pending = { resolve: (rows: unknown[]) => void; reject: (error: Error) => void };
type Reader = { worker: Worker; pending: Map<number, Pending>; gone: boolean };

/** A read failed because its worker thread died: the request fails, the next read gets a new worker. */
export class ReaderGoneError extends Error {}

// A worker being started is a promise in its slot, so reads that arrive
// meanwhile wait for it instead of starting another.
type Slot = { ready: Promise<Reader>; reader: Reader | null };

export class SqliteReadPool {
  private readonly slots: (Slot | null)[];
  private nextId = 1;
  private closed = false;

  constructor(
    private readonly file: string,
    size: number,
    private readonly script: () => Promise<string> = () => workerScript("db/sqlite-read-worker"),
  ) {
    this.slots = Array.from({ length: Math.max(1, size) }, () => null);
  }

  /** Runs a compiled query (SQLite's parameter values) on the least busy reader: its rows. */
  async all(text: string, params: unknown[]): Promise<unknown[]> {
    const reader = await this.leastBusy();
    if (this.closed) throw new Error("the SQLite read pool is closed");
    if (reader.gone) throw new ReaderGoneError("a report reader exited");
    const id = this.nextId++;
    return new Promise<unknown[]>((resolve, reject) => {
      // A worker with nothing to do must not keep a command-line process alive.
      if (reader.pending.size === 0) reader.worker.ref();
      reader.pending.set(id, { resolve, reject });
      const request: ReadRequest = { id, text, params };
      reader.worker.postMessage(request);
    });
  }

  /** The running workers, for tests that stop one. */
  get workers(): Worker[] {
    return this.slots.flatMap((s) => (s?.reader ? [s.reader.worker] : []));
  }

  async close(): Promise<void> {
    this.closed = true;
    const slots = this.slots.filter((s): s is Slot => s !== null);
    this.slots.fill(null);
    await Promise.all(slots.map((s) => s.ready.then((r) => r.worker.terminate()).catch(() => {})));
  }

  private leastBusy(): Promise<Reader> {
    if (this.closed) return Promise.reject(new Error("the SQLite read pool is closed"));
    const empty = this.slots.findIndex((s) => s === null);
    if (empty !== -1) return this.open(empty).ready;
    const load = (s: Slot) => s.reader?.pending.size ?? 0;
    const best = this.slots.reduce((a, b) => (load(b!) < load(a!) ? b : a))!;
    return best.ready;
  }

  private open(index: number): Slot {
    const slot: Slot = { ready: null as unknown as Promise<Reader>, reader: null };
    this.slots[index] = slot;
    slot.ready = this.script().then(
      (script) => {
        const reader = this.start(script, slot);
        slot.reader = reader;
        return reader;
      },
      (error: unknown) => {
        if (this.slots[index] === slot) this.slots[index] = null;
        throw error;
      },
    );
    return slot;
  }

  private start(script: string, slot: Slot): Reader {
    const data: ReadWorkerData = { file: this.file };
    const worker = new Worker(script, { workerData: data, stdout: false, stderr: false });
    worker.unref();
    const reader: Reader = { worker, pending: new Map(), gone: false };
    worker.on("message", (reply: ReadReply) => {
      const pending = reader.pending.get(reply.id);
      if (!pending) return;
      reader.pending.delete(reply.id);
      if (reader.pending.size === 0) worker.unref();
      if ("rows" in reply) pending.resolve(reply.rows);
      else pending.reject(Object.assign(new Error(reply.error.message), { code: reply.error.code }));
    });
    const gone = (why: string) => {
      reader.gone = true;
      // The next read starts a new worker in this slot; those in flight fail now, never hang.
      const index = this.slots.indexOf(slot);
      if (index !== -1) this.slots[index] = null;
      for (const pending of reader.pending.values()) pending.reject(new ReaderGoneError(`a report reader ${why}`));
      reader.pending.clear();
    };
    worker.on("error", (error) => gone(`failed: ${error.message}`));
    worker.on("exit", (code) => gone(`exited (${code})`));
    return reader;
  }
}
