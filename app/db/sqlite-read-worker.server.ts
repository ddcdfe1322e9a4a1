import Database from "better-sqlite3";
import { readlinkSync } from "node:fs";
import { setPriority } from "node:os";
import { parentPort, workerData } from "node:worker_threads";

// A worker thread of the SQLite read pool (read-pool.server.ts starts it): its
// own read-only connection runs the compiled report queries it is sent, one at
// a time, so a report of a second never holds the web server's thread. In WAL
// mode it reads beside the writer without waiting for it.

export type ReadWorkerData = { file: string };
export type ReadRequest = { id: number; text: string; params: unknown[] };
export type ReadReply = { id: number; rows: unknown[] } | { id: number; error: { message: string; code?: string } };

// Learners before reports: on two cores, two readers busy with a national
// report would take the CPU from the thread that answers progress reports and
// renders pages. On Linux a thread has its own nice value (setpriority on its
// id); this one runs at 10, so the scheduler gives it what the web thread
// leaves. Elsewhere, or where /proc is missing, it runs as before.
export const READ_WORKER_NICE = 10;
try {
  const threadId = Number(readlinkSync("/proc/thread-self").split("/").pop());
  if (Number.isInteger(threadId)) setPriority(threadId, READ_WORKER_NICE);
} catch {
  // Not Linux: no per-thread priority to set.
}

const { file } = workerData as ReadWorkerData;
const conn = new Database(file, { readonly: true, fileMustExist: true, timeout: 10_000 });
// As the main thread's connections: reports walk large covering indexes.
conn.pragma("cache_size = -65536");

const statements = new Map<string, Database.Statement>();
const port = parentPort!;

port.on("message", ({ id, text, params }: ReadRequest) => {
  let reply: ReadReply;
  try {
    let statement = statements.get(text);
    if (!statement) {
      statement = conn.prepare(text);
      statements.set(text, statement);
    }
    reply = { id, rows: statement.all(...params) };
  } catch (error) {
    const { message, code } = error as { message?: string; code?: string };
    reply = { id, error: { message: message ?? String(error), code } };
  }
  port.postMessage(reply);
});
