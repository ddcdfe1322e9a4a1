import { coveredSeconds, type Interval } from "./intervals";

// The one place that says when a lesson is done.
export const REQUIRED_WATCH_PERCENT = 90;
export const REQUIRED_WATCH_SHARE = REQUIRED_WATCH_PERCENT / 100;

export function hasWatchedEnough(intervals: readonly Interval[], durationSeconds: number): boolean {
  if (durationSeconds <= 0) return false;
  // A hair of tolerance: players stop a few milliseconds short of the end.
  return coveredSeconds(intervals) + 0.05 >= REQUIRED_WATCH_SHARE * durationSeconds;
}

export function isLessonComplete(input: {
  intervals: readonly Interval[];
  durationSeconds: number;
  hasQuiz: boolean;
  quizPassed: boolean;
}): boolean {
  return hasWatchedEnough(input.intervals, input.durationSeconds) && (!input.hasQuiz || input.quizPassed);
}

export function watchedPercent(intervals: readonly Interval[], durationSeconds: number): number {
  return watchedPercentOf(coveredSeconds(intervals), durationSeconds);
}

/** Whole percent of a lesson seen, from the stored watched seconds; 0 while the length is unknown. */
export function watchedPercentOf(watchedSeconds: number, durationSeconds: number | null): number {
  if (!durationSeconds || durationSeconds <= 0) return 0;
  return Math.min(100, Math.floor((watchedSeconds / durationSeconds) * 100));
}
