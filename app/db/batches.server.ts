// Requests that ask the database the same kind of thing at the same moment,
// answered by one statement (docs/decisions/107-progress-on-node-http.md).
//
// Asks wait for the next turn of the event loop, so a batch holds what came
// in together; while `inFlight` batches are already with the database, new
// asks keep waiting and go out together when one comes back. A quiet server
// thus sends each ask alone, at once, and a busy one sends fewer, larger
// statements instead of queueing one per request (group commit).

export type BatchOptions<Ask> = {
  /** Asks in one batch at most. */
  max: number;
  /** Batches with the database at once at most. */
  inFlight: number;
  /** Asks with the same key never share a batch: the later waits for the next. */
  key?: (ask: Ask) => string;
};

type Waiting<Ask, Answer> = { ask: Ask; settle: (answer: Answer) => void; fail: (error: unknown) => void };

export class Batches<Ask, Answer> {
  private waiting: Waiting<Ask, Answer>[] = [];
  private scheduled = false;
  private running = 0;

  /** `run` answers every ask of a batch, in order; a failure fails each of them. */
  constructor(
    private readonly run: (asks: Ask[]) => Promise<Answer[]>,
    private readonly options: BatchOptions<Ask>,
  ) {}

  ask(ask: Ask): Promise<Answer> {
    return new Promise((settle, fail) => {
      this.waiting.push({ ask, settle, fail });
      this.schedule();
    });
  }

  private schedule() {
    if (this.scheduled || this.waiting.length === 0 || this.running >= this.options.inFlight) return;
    this.scheduled = true;
    setImmediate(() => {
      this.scheduled = false;
      void this.send(this.take());
      this.schedule();
    });
  }

  private take(): Waiting<Ask, Answer>[] {
    const { key, max } = this.options;
    const keys = new Set<string>();
    const batch: Waiting<Ask, Answer>[] = [];
    const later: Waiting<Ask, Answer>[] = [];
    for (const entry of this.waiting) {
      const k = key?.(entry.ask);
      if (batch.length < max && (k === undefined || !keys.has(k))) {
        if (k !== undefined) keys.add(k);
        batch.push(entry);
      } else later.push(entry);
    }
    this.waiting = later;
    return batch;
  }

  private async send(batch: Waiting<Ask, Answer>[]) {
    this.running++;
    try {
      const answers = await this.run(batch.map((entry) => entry.ask));
      for (const [i, { settle }] of batch.entries()) settle(answers[i]!);
    } catch (error) {
      for (const { fail } of batch) fail(error);
    } finally {
      this.running--;
      this.schedule();
    }
  }
}

/** One Batches per key object (a database client), made on first use. */
export function batchesPer<K extends object, Ask, Answer>(
  make: (key: K) => Batches<Ask, Answer>,
): (key: K) => Batches<Ask, Answer> {
  const made = new WeakMap<K, Batches<Ask, Answer>>();
  return (key) => {
    let found = made.get(key);
    if (!found) made.set(key, (found = make(key)));
    return found;
  };
}
