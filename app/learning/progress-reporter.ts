import { mergeIntervals, subtractIntervals, type Interval } from "./intervals";
import type { ProgressOutcome } from "./progress.server";
import type { WatchTracker } from "./watch-tracker";

// The player's side of progress reports, apart from React and fetch so the
// honest-viewer property test drives the same code the browser runs.

/** What the server answers a report it took (progress.server.ts). */
export type ProgressAck = Extract<ProgressOutcome, { ok: true }>;
export type Answer = { status: number; body: unknown };

type Transport = {
  /** Sends ranges in the current view. */
  send(viewId: string, intervals: Interval[]): Promise<Answer>;
  /** Asks the server for a new view; null when it will not give one. */
  startView(): Promise<string | null>;
};

type Refusal = { error?: unknown; retryAfterSeconds?: unknown };

/**
 * Where ranges wait until the server has acknowledged them, so a reload or a
 * closed tab with the network down loses nothing: the next page of the same
 * lesson sends them again (the server merges ranges, so twice is harmless).
 */
export type UnsentStore = { load(): Interval[]; save(intervals: Interval[]): void };

export const memoryStore = (): UnsentStore => {
  let kept: Interval[] = [];
  return { load: () => kept, save: (intervals) => void (kept = intervals) };
};

export class ProgressReporter {
  private inFlight = false;
  private notBefore = 0;

  constructor(
    private readonly tracker: WatchTracker,
    private viewId: string,
    private readonly transport: Transport,
    private readonly onAck: (ack: ProgressAck) => void,
    private readonly now: () => number = () => Date.now(),
    private readonly unsent: UnsentStore = memoryStore(),
  ) {
    const left = unsent.load();
    if (left.length > 0) tracker.restore(left);
  }

  /**
   * Sends what was played since the last report. Ranges the server is not
   * ready to believe yet (too fast, or a failed request) go back to the
   * tracker and are sent again; ranges it can never take are dropped.
   * `final` (page hidden or closed) sends even while waiting.
   */
  async report(final = false): Promise<void> {
    if (!final && (this.inFlight || this.now() < this.notBefore)) return;
    const intervals = this.tracker.take();
    if (intervals.length === 0) return;
    this.unsent.save(mergeIntervals([...this.unsent.load(), ...intervals]));
    this.inFlight = true;
    try {
      let answer = await this.transport.send(this.viewId, intervals);
      if (answer.status === 422 && isViewGone(answer.body)) {
        const viewId = await this.transport.startView();
        if (viewId) {
          this.viewId = viewId;
          answer = await this.transport.send(viewId, intervals);
        }
      }
      if (answer.status >= 200 && answer.status < 300) {
        this.forget(intervals);
        this.onAck(answer.body as ProgressAck);
      } else if (!isRetryable(answer)) {
        this.forget(intervals);
      } else {
        this.tracker.restore(intervals);
        const wait = (answer.body as Refusal | null)?.retryAfterSeconds;
        this.notBefore = this.now() + (typeof wait === "number" ? wait * 1000 : 0);
      }
    } catch {
      this.tracker.restore(intervals); // the network: sent again with the next report
    } finally {
      this.inFlight = false;
    }
  }

  private forget(intervals: Interval[]) {
    this.unsent.save(subtractIntervals(this.unsent.load(), intervals));
  }
}

function isViewGone(body: unknown): boolean {
  const error = (body as Refusal | null)?.error;
  return error === "unknown_view" || error === "view_expired";
}

/** Too fast, a server error or a throttle: later. Signed out, unenrolled, malformed: never. */
function isRetryable(answer: Answer): boolean {
  if (answer.status === 422) return (answer.body as Refusal | null)?.error === "too_fast";
  return answer.status >= 500 || answer.status === 408 || answer.status === 429;
}
