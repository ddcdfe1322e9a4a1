// Watched time is a set of [start, end] second ranges on the video's timeline.
// Re-watching a part adds nothing; skipping ahead leaves a gap.

export type Interval = readonly [start: number, end: number];

/** Sorted, disjoint ranges; ranges that touch or overlap are joined. */
export function mergeIntervals(intervals: readonly Interval[]): Interval[] {
  const sorted = [...intervals].filter(([s, e]) => e > s).sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  const merged: [number, number][] = [];
  for (const [start, end] of sorted) {
    const last = merged[merged.length - 1];
    if (last && start <= last[1]) last[1] = Math.max(last[1], end);
    else merged.push([start, end]);
  }
  return merged;
}

export function coveredSeconds(intervals: readonly Interval[]): number {
  return mergeIntervals(intervals).reduce((sum, [s, e]) => sum + (e - s), 0);
}

/** Cuts every range to [0, duration]. */
export function clampIntervals(intervals: readonly Interval[], duration: number): Interval[] {
  return intervals.map(([s, e]): Interval => [Math.max(0, s), Math.min(duration, e)]).filter(([s, e]) => e > s);
}

/** True when the ranges are in order and none overlaps the next. */
export function isSortedAndDisjoint(intervals: readonly Interval[]): boolean {
  return intervals.every(([s, e], i) => s < e && (i === 0 || s >= intervals[i - 1]![1]));
}

/** Rounded to 0.01 s so stored JSON stays short. */
export function roundIntervals(intervals: readonly Interval[]): Interval[] {
  return intervals.map(([s, e]): Interval => [Math.round(s * 100) / 100, Math.round(e * 100) / 100]);
}

/** The parts of `from` that `minus` does not cover. */
export function subtractIntervals(from: readonly Interval[], minus: readonly Interval[]): Interval[] {
  const cut = mergeIntervals(minus);
  const out: Interval[] = [];
  for (const [start, end] of mergeIntervals(from)) {
    let s = start;
    for (const [cs, ce] of cut) {
      if (ce <= s || cs >= end) continue;
      if (cs > s) out.push([s, cs]);
      s = Math.max(s, ce);
      if (s >= end) break;
    }
    if (s < end) out.push([s, end]);
  }
  return out;
}
