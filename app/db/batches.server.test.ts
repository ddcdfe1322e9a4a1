import { describe, expect, it } from "vitest";
import { Batches } from "./batches.server";

/** A database stand-in whose batches come back when the test says so. */
function recorder() {
  const sent: number[][] = [];
  const open: { resolve: () => void; reject: (error: Error) => void }[] = [];
  const run = (asks: number[]) => {
    sent.push(asks);
    return new Promise<number[]>((resolve, reject) =>
      open.push({ resolve: () => resolve(asks.map((n) => n * 10)), reject }),
    );
  };
  return { sent, open, run };
}

const turn = () => new Promise((resolve) => setImmediate(resolve));

describe("batches of asks", () => {
  it("sends what came in one turn together, and answers each ask with its own answer", async () => {
    const db = recorder();
    const batches = new Batches(db.run, { max: 10, inFlight: 2 });
    const answers = [1, 2, 3].map((n) => batches.ask(n));
    await turn();
    expect(db.sent).toEqual([[1, 2, 3]]);
    db.open[0]!.resolve();
    expect(await Promise.all(answers)).toEqual([10, 20, 30]);
  });

  it("holds asks while enough batches are with the database, then sends them together", async () => {
    const db = recorder();
    const batches = new Batches(db.run, { max: 10, inFlight: 1 });
    const first = batches.ask(1);
    await turn();
    const waiting = [2, 3, 4].map((n) => batches.ask(n));
    await turn();
    await turn();
    expect(db.sent).toEqual([[1]]);
    db.open[0]!.resolve();
    expect(await first).toBe(10);
    await turn();
    expect(db.sent).toEqual([[1], [2, 3, 4]]);
    db.open[1]!.resolve();
    expect(await Promise.all(waiting)).toEqual([20, 30, 40]);
  });

  it("keeps asks of the same key and asks over the maximum for later batches", async () => {
    const db = recorder();
    const batches = new Batches(db.run, { max: 3, inFlight: 4, key: (n: number) => String(n % 5) });
    const answers = [1, 6, 2, 3, 4, 5].map((n) => batches.ask(n));
    await turn();
    await turn();
    // 6 has 1's key; the batch is full at three.
    expect(db.sent).toEqual([
      [1, 2, 3],
      [6, 4, 5],
    ]);
    for (const batch of db.open) batch.resolve();
    expect(await Promise.all(answers)).toEqual([10, 60, 20, 30, 40, 50]);
  });

  it("fails every ask of a failed batch, and goes on with the next", async () => {
    const db = recorder();
    const batches = new Batches(db.run, { max: 10, inFlight: 1 });
    const failed = [1, 2].map((n) => batches.ask(n).catch((error: Error) => error.message));
    await turn();
    const later = batches.ask(3);
    db.open[0]!.reject(new Error("connection lost"));
    expect(await Promise.all(failed)).toEqual(["connection lost", "connection lost"]);
    await turn();
    expect(db.sent).toEqual([[1, 2], [3]]);
    db.open[1]!.resolve();
    expect(await later).toBe(30);
  });
});
