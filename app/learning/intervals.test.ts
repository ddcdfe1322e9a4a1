import { describe, expect, it } from "vitest";
import {
  hasWatchedEnough,
  isLessonComplete,
  REQUIRED_WATCH_PERCENT,
  watchedPercent,
  watchedPercentOf,
} from "./completion";
import { clampIntervals, coveredSeconds, isSortedAndDisjoint, mergeIntervals, subtractIntervals } from "./intervals";
import { WatchTracker } from "./watch-tracker";

describe("mergeIntervals", () => {
  it("joins overlapping and touching ranges and sorts them", () => {
    expect(
      mergeIntervals([
        [50, 60],
        [0, 10],
        [5, 20],
        [20, 25],
      ]),
    ).toEqual([
      [0, 25],
      [50, 60],
    ]);
  });
  it("drops empty and reversed ranges", () => {
    expect(
      mergeIntervals([
        [10, 10],
        [30, 20],
        [1, 2],
      ]),
    ).toEqual([[1, 2]]);
  });
  it("counts re-watched time once", () => {
    expect(
      coveredSeconds([
        [0, 100],
        [50, 150],
        [0, 10],
      ]),
    ).toBe(150);
  });
  it("clamps to the video", () => {
    expect(
      clampIntervals(
        [
          [-5, 10],
          [190, 230],
        ],
        200,
      ),
    ).toEqual([
      [0, 10],
      [190, 200],
    ]);
  });
  it("recognises sorted, disjoint input", () => {
    expect(
      isSortedAndDisjoint([
        [0, 5],
        [5, 9],
      ]),
    ).toBe(true);
    expect(
      isSortedAndDisjoint([
        [0, 5],
        [4, 9],
      ]),
    ).toBe(false);
    expect(
      isSortedAndDisjoint([
        [5, 9],
        [0, 4],
      ]),
    ).toBe(false);
    expect(isSortedAndDisjoint([[3, 3]])).toBe(false);
  });
});

describe("the 90% rule", () => {
  it("needs 90% of the duration covered", () => {
    expect(hasWatchedEnough([[0, 179]], 200)).toBe(false);
    expect(hasWatchedEnough([[0, 180]], 200)).toBe(true);
    expect(
      hasWatchedEnough(
        [
          [0, 100],
          [110, 190],
        ],
        200,
      ),
    ).toBe(true);
    expect(
      hasWatchedEnough(
        [
          [0, 100],
          [100, 170],
        ],
        200,
      ),
    ).toBe(false);
  });
  it("also needs a passed check when the lesson has one", () => {
    const intervals = [[0, 200]] as const;
    expect(
      isLessonComplete({ intervals: [...intervals], durationSeconds: 200, hasQuiz: true, quizPassed: false }),
    ).toBe(false);
    expect(isLessonComplete({ intervals: [...intervals], durationSeconds: 200, hasQuiz: true, quizPassed: true })).toBe(
      true,
    );
    expect(
      isLessonComplete({ intervals: [...intervals], durationSeconds: 200, hasQuiz: false, quizPassed: false }),
    ).toBe(true);
  });
  it("reports whole percents", () => {
    expect(watchedPercent([[0, 99.9]], 200)).toBe(49);
  });
  it("counts stored seconds the way it counts intervals, and 0 while the length is unknown", () => {
    expect(watchedPercentOf(99.9, 200)).toBe(watchedPercent([[0, 99.9]], 200));
    expect(watchedPercentOf(250, 200)).toBe(100);
    expect(watchedPercentOf(50, null)).toBe(0);
    expect(watchedPercentOf(50, 0)).toBe(0);
  });
  it("completes a lesson exactly at the percent the lesson page states", () => {
    const duration = 240;
    const needed = (REQUIRED_WATCH_PERCENT / 100) * duration;
    expect(hasWatchedEnough([[0, needed]], duration)).toBe(true);
    expect(hasWatchedEnough([[0, needed - 1]], duration)).toBe(false);
    expect(watchedPercent([[0, needed]], duration)).toBe(REQUIRED_WATCH_PERCENT);
  });
});

describe("WatchTracker", () => {
  function clock() {
    let now = 0;
    return { now: () => now, advance: (ms: number) => (now += ms) };
  }

  it("records continuous playback as one range", () => {
    const c = clock();
    const tracker = new WatchTracker(c.now);
    for (let t = 0; t <= 20; t += 0.25) {
      tracker.tick(t);
      c.advance(250);
    }
    expect(tracker.take()).toEqual([[0, 20]]);
  });

  it("does not credit a seek to the end", () => {
    const c = clock();
    const tracker = new WatchTracker(c.now);
    for (let t = 0; t <= 5; t += 0.25) {
      tracker.tick(t);
      c.advance(250);
    }
    tracker.tick(195); // the playhead jumps 190 s in a quarter second
    c.advance(250);
    tracker.tick(195.25);
    tracker.close();
    expect(coveredSeconds(tracker.take())).toBeCloseTo(5.25, 5);
  });

  it("accepts fast playback as real watching", () => {
    const c = clock();
    const tracker = new WatchTracker(c.now);
    for (let t = 0; t <= 64; t += 4) {
      tracker.tick(t, 16); // 16x: 4 s of video per 250 ms
      c.advance(250);
    }
    expect(tracker.take()).toEqual([[0, 64]]);
  });

  it("keeps the open range going after a take, and restores unsent ranges", () => {
    const c = clock();
    const tracker = new WatchTracker(c.now);
    tracker.tick(0);
    c.advance(1000);
    tracker.tick(1);
    const first = tracker.take();
    expect(first).toEqual([[0, 1]]);
    c.advance(1000);
    tracker.tick(2);
    tracker.restore(first);
    expect(tracker.take()).toEqual([[0, 2]]);
  });
});

describe("subtractIntervals", () => {
  it("keeps what the second set does not cover", () => {
    expect(
      subtractIntervals(
        [
          [0, 10],
          [20, 30],
        ],
        [[5, 25]],
      ),
    ).toEqual([
      [0, 5],
      [25, 30],
    ]);
    expect(subtractIntervals([[0, 10]], [[0, 10]])).toEqual([]);
    expect(
      subtractIntervals(
        [[0, 10]],
        [
          [2, 3],
          [4, 5],
        ],
      ),
    ).toEqual([
      [0, 2],
      [3, 4],
      [5, 10],
    ]);
    expect(subtractIntervals([[0, 10]], [])).toEqual([[0, 10]]);
  });
});
