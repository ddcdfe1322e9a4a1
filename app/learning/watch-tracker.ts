import { mergeIntervals, type Interval } from "./intervals";

/**
 * Turns the player's time updates into the ranges actually played. A jump
 * further than playback could have moved in the wall-clock time since the
 * last update is a seek: the range before it closes and nothing is credited
 * for the part skipped.
 */
export class WatchTracker {
  private closed: Interval[] = [];
  private start: number | null = null;
  private last = 0;
  private lastWall = 0;

  constructor(private readonly now: () => number = () => performance.now()) {}

  /** A time update while playing, at playback `rate`. */
  tick(time: number, rate = 1) {
    const wall = this.now();
    if (this.start === null) {
      this.start = time;
    } else {
      const elapsed = (wall - this.lastWall) / 1000;
      const plausible = (elapsed + 0.5) * Math.max(rate, 1);
      if (time < this.last - 0.05 || time - this.last > plausible) {
        this.close();
        this.start = time;
      }
    }
    this.last = time;
    this.lastWall = wall;
  }

  /** Seeking, pausing and ending all close the open range. */
  close() {
    if (this.start !== null && this.last > this.start) this.closed.push([this.start, this.last]);
    this.start = null;
  }

  /** The ranges played since the last take, merged; the open range continues from where it is. */
  take(): Interval[] {
    const open: Interval[] = this.start !== null && this.last > this.start ? [[this.start, this.last]] : [];
    const taken = mergeIntervals([...this.closed, ...open]);
    this.closed = [];
    if (this.start !== null) this.start = this.last;
    return taken;
  }

  /** Puts ranges back after a report failed to send, so they go with the next one. */
  restore(intervals: readonly Interval[]) {
    this.closed.push(...intervals);
  }
}
