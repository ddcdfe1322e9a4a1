import { watchedPercentOf } from "~/catalog/watched-percent";
import { coveredSeconds, type Interval } from "./intervals";

export { watchedPercentOf };

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
