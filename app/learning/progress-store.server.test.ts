import { afterAll, describe, expect, it, vi } from "vitest";
import { createSql } from "~/db/sql.server";
import { db } from "~/utils/db.server";
import { getEnv } from "~/utils/env.server";
import { createEnrolment, createLearner, createPublishedCourse } from "../../tests/helpers/fixtures";
import { createSession, generateSessionToken, sessionIdFromToken } from "~/auth/session.server";
import { loadProgressContext, loadSessionAndContext, writeCredit, type ProgressContext } from "./progress-store.server";
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

    // Both instances credit the first report at once: one wins; the loser's
    // clock start and insert are both rolled back.
    const none = { clock: null, progress: null };
    expect([
      await writeCredit(learner.id, one!.id, none, at(5), write([[0, 10]], 10), at(10), first),
      await writeCredit(learner.id, one!.id, none, at(6), write([[0, 5]], 5), at(10), second),
    ]).toEqual([true, false]);
    const read = (await loadProgressContext(learner.id, one!.id, view, second))!;
    expect(read.clock).toEqual({ cursor: at(5), version: 0 });
    expect(read.progress).toMatchObject({ watchedIntervals: "[[0,10]]", version: 0, completedAt: null });
    expect(read.progress!.updatedAt).toEqual(at(10));

    // Then versioned moves: the second write over the same read changes nothing.
    expect(await writeCredit(learner.id, one!.id, read, at(10), write([[0, 20]], 10), at(20), second)).toBe(true);
    expect(await writeCredit(learner.id, one!.id, read, at(11), write([[0, 15]], 5), at(20), first)).toBe(false);
    expect(await db.watchClock.findUniqueOrThrow({ where: { userId: learner.id } })).toMatchObject({
      cursor: at(10),
      version: 1,
    });
    const stored = await db.lessonProgress.findUniqueOrThrow({ where: { id: read.progress!.id } });
    expect(stored).toMatchObject({
      watchedIntervals: "[[0,20]]",
      watchedSeconds: 10,
      viewSeconds: 20,
      version: 1,
      updatedAt: at(20),
    });
    expect(await db.lessonProgress.count({ where: { userId: learner.id } })).toBe(1);

    // A clock moved by another report (another lesson, another instance) since
    // the read: the progress write that came with the charge is rolled back too.
    const stale = (await loadProgressContext(learner.id, one!.id, view, first))!;
    const otherLesson = (await loadProgressContext(learner.id, two!.id, view, second))!;
    expect(await writeCredit(learner.id, two!.id, otherLesson, at(12), write([[0, 2]], 2), at(30), second)).toBe(true);
    expect(await writeCredit(learner.id, one!.id, stale, at(13), write([[0, 30]], 10), at(30), first)).toBe(false);
    expect(await db.lessonProgress.findUniqueOrThrow({ where: { id: read.progress!.id } })).toMatchObject({
      watchedIntervals: "[[0,20]]",
      version: 1,
    });
    expect(await db.watchClock.findUniqueOrThrow({ where: { userId: learner.id } })).toMatchObject({
      cursor: at(12),
      version: 2,
    });
    // A progress row moved on by another report that credited nothing (no
    // clock move): the charge is refused and the clock stays where it was.
    const beforeTouch = (await loadProgressContext(learner.id, one!.id, view, first))!;
    expect(await writeCredit(learner.id, one!.id, beforeTouch, null, write([[0, 20]], 10), at(35), second)).toBe(true);
    expect(await writeCredit(learner.id, one!.id, beforeTouch, at(14), write([[0, 40]], 20), at(35), first)).toBe(
      false,
    );
    expect(await db.watchClock.findUniqueOrThrow({ where: { userId: learner.id } })).toMatchObject({
      cursor: at(12),
      version: 2,
    });
    expect(await db.lessonProgress.findUniqueOrThrow({ where: { id: read.progress!.id } })).toMatchObject({
      watchedIntervals: "[[0,20]]",
      version: 2,
    });

    // Without new seconds the clock is left alone and only the progress version counts.
    const fresh = (await loadProgressContext(learner.id, one!.id, view, first))!;
    expect(await writeCredit(learner.id, one!.id, fresh, null, write([[0, 20]], 10), at(40), first)).toBe(true);
    expect(await db.watchClock.findUniqueOrThrow({ where: { userId: learner.id } })).toMatchObject({ version: 2 });
  });

  it("writes a report that gained nothing as one statement, with no transaction, and refuses it over a version moved on", async () => {
    const course = await createPublishedCourse({ durations: [100] });
    const [one] = course.lessons;
    const learner = await createLearner();
    await createEnrolment(learner.id, course.id);
    const view = (await startLessonView(learner.id, one!.id, at(0)))!;
    const transaction = vi.spyOn(first, "transaction");
    try {
      // A first report with nothing to credit (a position only) inserts the row on its own.
      const none = (await loadProgressContext(learner.id, one!.id, view, first))!;
      expect(await writeCredit(learner.id, one!.id, none, null, write([], 0), at(1), first)).toBe(true);
      // The same read again: the row is there now, so nothing is written.
      expect(await writeCredit(learner.id, one!.id, none, null, write([[0, 1]], 1), at(2), second)).toBe(false);
      const read = (await loadProgressContext(learner.id, one!.id, view, first))!;
      expect(read.progress).toMatchObject({ version: 0 });
      expect(await writeCredit(learner.id, one!.id, read, null, write([], 0), at(3), first)).toBe(true);
      // Over the version that read saw, now moved on: refused, the row as the last write left it.
      expect(await writeCredit(learner.id, one!.id, read, null, write([[0, 5]], 5), at(4), second)).toBe(false);
      expect(transaction).not.toHaveBeenCalled();
    } finally {
      transaction.mockRestore();
    }
    expect(
      await db.lessonProgress.findFirstOrThrow({ where: { userId: learner.id, lessonId: one!.id } }),
    ).toMatchObject({ watchedIntervals: "[]", watchedSeconds: 0, version: 1 });
    // Nothing was credited, so no clock was started.
    expect(await db.watchClock.findUnique({ where: { userId: learner.id } })).toBeNull();
  });

  it("lets exactly one of many reports charged over the same read win, on both instances at once", async () => {
    const course = await createPublishedCourse({ durations: [300] });
    const lesson = course.lessons[0]!;
    const learner = await createLearner();
    await createEnrolment(learner.id, course.id);
    const view = (await startLessonView(learner.id, lesson.id, at(0)))!;
    expect(
      await writeCredit(
        learner.id,
        lesson.id,
        { clock: null, progress: null },
        at(1),
        write([[0, 2]], 2),
        at(2),
        first,
      ),
    ).toBe(true);
    const read = (await loadProgressContext(learner.id, lesson.id, view, first))!;
    const outcomes = await Promise.all(
      Array.from({ length: 8 }, (_, i) =>
        writeCredit(
          learner.id,
          lesson.id,
          read,
          at(10 + i),
          write([[0, 10 + i]], 10 + i),
          at(20),
          i % 2 ? first : second,
        ),
      ),
    );
    expect(outcomes.filter(Boolean)).toHaveLength(1);
    const winner = outcomes.indexOf(true);
    // The clock and the progress both carry the winner's write, and nothing of the others.
    expect(await db.watchClock.findUniqueOrThrow({ where: { userId: learner.id } })).toMatchObject({
      cursor: at(10 + winner),
      version: 1,
    });
    expect(await db.lessonProgress.findUniqueOrThrow({ where: { id: read.progress!.id } })).toMatchObject({
      watchedSeconds: 10 + winner,
      version: 1,
    });
  });

  it("credits many learners reporting together, each by their own read, and refuses only the stale one", async () => {
    const course = await createPublishedCourse({ durations: [300, 300] });
    const [one, two] = course.lessons;
    const learners = await Promise.all(Array.from({ length: 12 }, () => createLearner()));
    const reads: { one: ProgressContext; two: ProgressContext }[] = [];
    for (const learner of learners) {
      await createEnrolment(learner.id, course.id);
      const view = (await startLessonView(learner.id, one!.id, at(0)))!;
      const none = { clock: null, progress: null };
      expect(await writeCredit(learner.id, one!.id, none, at(1), write([[0, 2]], 2), at(2), first)).toBe(true);
      expect(await writeCredit(learner.id, two!.id, none, null, write([[0, 1]], 1), at(2), first)).toBe(true);
      reads.push({
        one: (await loadProgressContext(learner.id, one!.id, view, first))!,
        two: (await loadProgressContext(learner.id, two!.id, view, first))!,
      });
    }
    // Another instance moves the clock of learner 3 after the read.
    expect(await writeCredit(learners[3]!.id, two!.id, reads[3]!.two, at(5), write([[0, 4]], 4), at(5), second)).toBe(
      true,
    );

    // Every learner reports in the same turn on one instance (one batch on
    // PostgreSQL), while the other instance credits the second lesson of the
    // same learners in the opposite order over the same reads: each learner's
    // clock can move once, so exactly one of their two reports lands, and no
    // batch deadlocks or fails.
    const [here, there] = await Promise.all([
      Promise.all(
        learners.map((learner, i) =>
          writeCredit(learner.id, one!.id, reads[i]!.one, at(10 + i), write([[0, 10 + i]], 10 + i), at(40), first),
        ),
      ),
      Promise.all(
        [...learners].reverse().map((learner, r) => {
          const i = learners.length - 1 - r;
          return writeCredit(learner.id, two!.id, reads[i]!.two, at(60 + i), write([[0, 50]], 49), at(40), second);
        }),
      ),
    ]);
    expect(here[3]).toBe(false);
    for (const [i, learner] of learners.entries()) {
      const landedHere = here[i]!;
      const landedThere = there[learners.length - 1 - i]!;
      const clock = await db.watchClock.findUniqueOrThrow({ where: { userId: learner.id } });
      const progressOne = await db.lessonProgress.findUniqueOrThrow({ where: { id: reads[i]!.one.progress!.id } });
      if (i === 3) {
        // Stale on both: the clock had moved; neither report changed anything.
        expect([landedHere, landedThere]).toEqual([false, false]);
        expect(clock).toMatchObject({ cursor: at(5), version: 1 });
        expect(progressOne).toMatchObject({ watchedIntervals: "[[0,2]]", version: 0 });
        continue;
      }
      expect(Number(landedHere) + Number(landedThere)).toBe(1);
      expect(clock).toMatchObject({ cursor: landedHere ? at(10 + i) : at(60 + i), version: 1 });
      expect(progressOne).toMatchObject(
        landedHere
          ? { watchedIntervals: `[[0,${10 + i}]]`, watchedSeconds: 10 + i, viewSeconds: 2 + 10 + i, version: 1 }
          : { watchedIntervals: "[[0,2]]", version: 0 },
      );
      if (landedHere) expect(progressOne.updatedAt).toEqual(at(40));
    }
  });

  it("reads the sessions and contexts of many reports arriving together, each its own", async () => {
    const course = await createPublishedCourse({ durations: [100, 200] });
    const [one, two] = course.lessons;
    const learners = await Promise.all(Array.from({ length: 10 }, () => createLearner()));
    const asks = [];
    for (const [i, learner] of learners.entries()) {
      if (i % 3 !== 2) await createEnrolment(learner.id, course.id);
      const lesson = i % 2 ? two! : one!;
      // Someone not enrolled has no view to name: they name an unknown one.
      const view = (await startLessonView(learner.id, lesson.id, at(i))) ?? "no-such-view";
      const token = generateSessionToken();
      await createSession(token, learner.id, at(0));
      asks.push({ learner, lesson, view, sessionId: sessionIdFromToken(token) });
    }
    await db.user.update({ where: { id: learners[4]!.id }, data: { deactivatedAt: at(1) } });

    // All in one turn (one statement on PostgreSQL), with an unknown session,
    // an unknown lesson and another learner's view among them.
    const [reads, unknownSession, unknownLesson, othersView] = await Promise.all([
      Promise.all(asks.map((a) => loadSessionAndContext(a.sessionId, a.lesson.id, a.view, first))),
      loadSessionAndContext("no-such-session", one!.id, asks[0]!.view, first),
      loadSessionAndContext(asks[0]!.sessionId, "no-such-lesson", asks[0]!.view, first),
      loadSessionAndContext(asks[0]!.sessionId, one!.id, asks[2]!.view, first),
    ]);
    for (const [i, a] of asks.entries()) {
      const read = reads[i]!;
      if (i === 4) {
        expect(read).toBeNull();
        continue;
      }
      expect(read).toMatchObject({
        userId: a.learner.id,
        context: {
          durationSeconds: i % 2 ? 200 : 100,
          enrolled: i % 3 !== 2,
          published: true,
          viewStartedAt: i % 3 !== 2 ? at(i) : null,
          clock: null,
          progress: null,
        },
      });
      expect(read!.sessionExpiresAt.getTime()).toBeGreaterThan(at(0).getTime());
    }
    expect(unknownSession).toBeNull();
    expect(unknownLesson).toMatchObject({ userId: learners[0]!.id, context: null });
    expect(othersView).toMatchObject({ userId: learners[0]!.id, context: { viewStartedAt: null } });
  });
});
