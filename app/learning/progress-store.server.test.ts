import { afterAll, describe, expect, it } from "vitest";
import { createSql } from "~/db/sql.server";
import { db } from "~/utils/db.server";
import { getEnv } from "~/utils/env.server";
import { createEnrolment, createLearner, createPublishedCourse } from "../../tests/helpers/fixtures";
import {
  insertProgressIfAbsent,
  loadProgressContext,
  moveWatchClock,
  updateProgressIfUnchanged,
} from "./progress-store.server";
import { startLessonView } from "./views.server";

// Two app instances on one database: each has its own connections, and on
// PostgreSQL its own named prepared statements of the same text. Each call
// must bind its own values to the statement built once, and a write over a
// version another instance has moved on from must change nothing.
const first = createSql(getEnv().DATABASE_URL);
const second = createSql(getEnv().DATABASE_URL);
afterAll(async () => {
  await first.close();
  await second.close();
});

const at = (seconds: number) => new Date(Date.UTC(2026, 0, 1) + seconds * 1000);
const write = (intervals: [number, number][], seconds: number) => ({
  watchedIntervals: JSON.stringify(intervals),
  watchedSeconds: seconds,
  lastPosition: seconds,
  completedAt: null,
  viewSeconds: seconds,
});

describe("the progress statements on two app instances", () => {
  it("bind each call's values and refuse a write over a version already moved on", async () => {
    const course = await createPublishedCourse({ durations: [100, 200] });
    const [one, two] = course.lessons;
    const learner = await createLearner();
    const other = await createLearner();
    await createEnrolment(learner.id, course.id);
    const view = (await startLessonView(learner.id, one!.id, at(0)))!;

    // The same statement, prepared on each instance, answers for each call's lesson and learner.
    const a = await loadProgressContext(learner.id, one!.id, view, first);
    const b = await loadProgressContext(other.id, two!.id, view, second);
    expect(a).toMatchObject({ durationSeconds: 100, enrolled: true, published: true, clock: null, progress: null });
    expect(a!.viewStartedAt).toEqual(at(0));
    expect(b).toMatchObject({ durationSeconds: 200, enrolled: false, viewStartedAt: null });
    expect(await loadProgressContext(learner.id, "no-such-lesson", view, second)).toBeNull();

    // Both instances start the clock at once: one wins; the loser's stale move changes nothing.
    expect([
      await moveWatchClock(learner.id, null, at(5), first),
      await moveWatchClock(learner.id, null, at(6), second),
    ]).toEqual([true, false]);
    const clock = (await loadProgressContext(learner.id, one!.id, view, second))!.clock!;
    expect(clock).toEqual({ cursor: at(5), version: 0 });
    expect(await moveWatchClock(learner.id, clock, at(10), second)).toBe(true);
    expect(await moveWatchClock(learner.id, clock, at(11), first)).toBe(false);
    expect(await db.watchClock.findUniqueOrThrow({ where: { userId: learner.id } })).toMatchObject({
      cursor: at(10),
      version: 1,
    });

    // One row per learner and lesson, whichever instance inserts first; then versioned updates.
    expect(await insertProgressIfAbsent(learner.id, one!.id, write([[0, 10]], 10), at(10), first)).toBe(true);
    expect(await insertProgressIfAbsent(learner.id, one!.id, write([[0, 5]], 5), at(10), second)).toBe(false);
    const read = (await loadProgressContext(learner.id, one!.id, view, first))!.progress!;
    expect(read).toMatchObject({ watchedIntervals: "[[0,10]]", version: 0, completedAt: null, updatedAt: at(10) });
    expect(await updateProgressIfUnchanged(read.id, read.version, write([[0, 20]], 10), at(20), second)).toBe(true);
    expect(await updateProgressIfUnchanged(read.id, read.version, write([[0, 15]], 5), at(20), first)).toBe(false);
    const stored = await db.lessonProgress.findUniqueOrThrow({ where: { id: read.id } });
    expect(stored).toMatchObject({
      watchedIntervals: "[[0,20]]",
      watchedSeconds: 10,
      viewSeconds: 20,
      version: 1,
      updatedAt: at(20),
    });
    expect(await db.lessonProgress.count({ where: { userId: learner.id } })).toBe(1);
  });
});
