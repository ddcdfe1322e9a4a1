import { describe, expect, it } from "vitest";
import { db } from "~/utils/db.server";
import { createPublishedCourse, createLearner, createEnrolment, SAMPLE_QUIZ } from "../../tests/helpers/fixtures";
import { parseIntervals, ProgressReportSchema, recordProgress } from "./progress.server";
import { getLearnerQuiz, submitQuiz } from "./quiz.server";
import { MAX_VIEWS_PER_HOUR, startLessonView } from "./views.server";

const at = (seconds: number) => new Date(Date.UTC(2026, 0, 1) + seconds * 1000);

async function setup(options: Parameters<typeof createPublishedCourse>[0] = {}) {
  const course = await createPublishedCourse(options);
  const learner = await createLearner();
  await createEnrolment(learner.id, course.id);
  const lesson = course.lessons[0]!;
  return { course, learner, lesson, viewId: (await startLessonView(learner.id, lesson.id, at(0)))! };
}

/** Plays `from`→`to` in 10 s reports, 10 s of wall clock apart, like the player does, in a view opened at `start`. */
async function watch(userId: string, lessonId: string, from: number, to: number, start = 0) {
  const viewId = (await startLessonView(userId, lessonId, at(start)))!;
  let clock = start;
  const outcomes = [];
  for (let t = from; t < to; t += 10) {
    clock += 10;
    outcomes.push(
      await recordProgress(
        userId,
        { viewId, lessonId, intervals: [[t, Math.min(t + 10, to)]], position: Math.min(t + 10, to) },
        at(clock),
      ),
    );
  }
  return { outcome: outcomes.at(-1), outcomes, clock };
}

describe("recordProgress", () => {
  it("merges the reported ranges and remembers the position", async () => {
    const { learner, lesson, viewId } = await setup();
    await recordProgress(learner.id, { viewId, lessonId: lesson.id, intervals: [[0, 10]], position: 10 }, at(10));
    await recordProgress(learner.id, { viewId, lessonId: lesson.id, intervals: [[5, 20]], position: 20 }, at(20));
    const row = await db.lessonProgress.findUniqueOrThrow({
      where: { userId_lessonId: { userId: learner.id, lessonId: lesson.id } },
    });
    expect(parseIntervals(row.watchedIntervals)).toEqual([[0, 20]]);
    expect(row.watchedSeconds).toBe(20);
    expect(row.lastPosition).toBe(20);
    expect(row.completedAt).toBeNull();
  });

  it("completes a lesson at 90% watched, and the course when every lesson is", async () => {
    const { learner, lesson, course } = await setup({ durations: [200, 200] });
    const first = await watch(learner.id, lesson.id, 0, 180);
    expect(first.outcome).toMatchObject({ ok: true, completed: true, courseCompleted: false });
    const second = await watch(learner.id, course.lessons[1]!.id, 0, 200, first.clock);
    expect(second.outcome).toMatchObject({ ok: true, completed: true });
    // Exactly one report, the one that crossed 90% of the last lesson, completes the course.
    expect(second.outcomes.filter((o) => o.ok && o.courseCompleted)).toHaveLength(1);
    const completion = await db.courseCompletion.findUniqueOrThrow({
      where: { userId_courseId: { userId: learner.id, courseId: course.id } },
    });
    expect(completion.certificateCode).toMatch(/^[A-Z2-7]{4}(-[A-Z2-7]{4}){3}$/);
  });

  it("does not complete a lesson when the learner skipped to the end", async () => {
    const { learner, lesson } = await setup({ durations: [200] });
    const { clock } = await watch(learner.id, lesson.id, 0, 30);
    const viewId = (await startLessonView(learner.id, lesson.id, at(clock)))!;
    const outcome = await recordProgress(
      learner.id,
      { viewId, lessonId: lesson.id, intervals: [[190, 200]], position: 200 },
      at(clock + 10),
    );
    expect(outcome).toMatchObject({ ok: true, completed: false, watchedPercent: 20 });
  });

  it("refuses a report claiming more than 2× the time since the view began, and takes it later", async () => {
    const { learner, lesson, viewId } = await setup({ durations: [200] });
    const report = { viewId, lessonId: lesson.id, intervals: [[0, 200]] as [number, number][], position: 200 };
    expect(await recordProgress(learner.id, report, at(1))).toEqual({
      ok: false,
      status: 422,
      error: "too_fast",
      retryAfterSeconds: 99,
    });
    expect(await recordProgress(learner.id, report, at(99.9))).toMatchObject({
      error: "too_fast",
      retryAfterSeconds: 1,
    });
    expect(await db.lessonProgress.count({ where: { userId: learner.id } })).toBe(0);
    expect(await db.watchClock.count({ where: { userId: learner.id } })).toBe(0);
    expect(await recordProgress(learner.id, report, at(100))).toMatchObject({ ok: true, watchedPercent: 100 });
  });

  it("shares one clock across every lesson and view of a learner", async () => {
    const { learner, course } = await setup({ durations: [200, 200, 200] });
    const views = await Promise.all(course.lessons.map((l) => startLessonView(learner.id, l.id, at(0))));
    // 100 s after the views began, 200 s of video can be credited in all, wherever it is.
    const reports = course.lessons.map((l, i) => ({
      viewId: views[i]!,
      lessonId: l.id,
      intervals: [[0, 80]] as [number, number][],
      position: 80,
    }));
    const outcomes = await Promise.all(reports.map((r) => recordProgress(learner.id, r, at(100))));
    expect(outcomes.filter((o) => o.ok)).toHaveLength(2);
    expect(outcomes.filter((o) => !o.ok && o.error === "too_fast")).toHaveLength(1);
    const credited = await db.lessonProgress.aggregate({
      where: { userId: learner.id },
      _sum: { watchedSeconds: true },
    });
    expect(credited._sum.watchedSeconds).toBe(160);
    // The same report again adds nothing and costs nothing; a new view does not reset the clock.
    expect(await recordProgress(learner.id, reports[0]!, at(100))).toMatchObject({ ok: true });
    const late = (await startLessonView(learner.id, course.lessons[2]!.id, at(50)))!;
    expect(
      await recordProgress(learner.id, { ...reports[2]!, viewId: late, intervals: [[0, 80]] }, at(100)),
    ).toMatchObject({ error: "too_fast" });
  });

  it("refuses reports without a live view of this learner and lesson", async () => {
    const { learner, lesson, course, viewId } = await setup({ durations: [200, 200] });
    const other = await createLearner();
    await createEnrolment(other.id, course.id);
    const othersView = (await startLessonView(other.id, lesson.id, at(0)))!;
    const wrongLesson = (await startLessonView(learner.id, course.lessons[1]!.id, at(0)))!;
    const report = { lessonId: lesson.id, intervals: [[0, 10]] as [number, number][], position: 10 };
    for (const id of [othersView, wrongLesson, "no-such-view"]) {
      expect(await recordProgress(learner.id, { ...report, viewId: id }, at(60))).toEqual({
        ok: false,
        status: 422,
        error: "unknown_view",
      });
    }
    expect(await recordProgress(learner.id, { ...report, viewId }, at(13 * 3600))).toEqual({
      ok: false,
      status: 422,
      error: "view_expired",
    });
    expect(await recordProgress(learner.id, { ...report, viewId }, at(-1))).toMatchObject({ error: "view_expired" });
    expect(await db.lessonProgress.count({ where: { userId: learner.id } })).toBe(0);
  });

  it("refuses ranges past the end, overlapping or reversed, storing nothing", async () => {
    const { learner, lesson, viewId } = await setup({ durations: [200] });
    for (const intervals of [
      [[190, 260]],
      [
        [0, 10],
        [5, 15],
      ],
      [[20, 10]],
      [
        [10, 20],
        [0, 5],
      ],
    ] as [number, number][][]) {
      const outcome = await recordProgress(
        learner.id,
        { viewId, lessonId: lesson.id, intervals, position: 10 },
        at(10),
      );
      expect(outcome).toEqual({ ok: false, status: 422, error: "invalid_intervals" });
    }
    expect(await db.lessonProgress.count({ where: { userId: learner.id } })).toBe(0);
  });

  it("refuses learners who are not enrolled, and unknown or unpublished lessons", async () => {
    const course = await createPublishedCourse();
    const draft = await createPublishedCourse({ status: "DRAFT" });
    const stranger = await createLearner();
    await createEnrolment(stranger.id, draft.id);
    const report = { viewId: "v", intervals: [[0, 10]] as [number, number][], position: 10 };
    expect(await recordProgress(stranger.id, { ...report, lessonId: course.lessons[0]!.id })).toMatchObject({
      status: 403,
    });
    expect(await recordProgress(stranger.id, { ...report, lessonId: "does-not-exist" })).toMatchObject({ status: 404 });
    expect(await recordProgress(stranger.id, { ...report, lessonId: draft.lessons[0]!.id })).toMatchObject({
      status: 404,
    });
    expect(await db.lessonProgress.count({ where: { userId: stranger.id } })).toBe(0);
  });

  it("needs the knowledge check passed as well as the video watched", async () => {
    const { learner, lesson } = await setup({ durations: [200], quizOn: [0] });
    const { outcome } = await watch(learner.id, lesson.id, 0, 200);
    expect(outcome).toMatchObject({ ok: true, completed: false });

    await getLearnerQuiz(learner.id, lesson.id, lesson.quiz); // draws the questions
    const failed = await submitQuiz(learner.id, lesson.id, { q1: ["b"], q2: ["a"] });
    expect(failed).toMatchObject({
      ok: true,
      feedback: { outcome: "failed", scorePercent: 0 },
      lessonCompleted: false,
    });
    await getLearnerQuiz(learner.id, lesson.id, lesson.quiz);
    const passed = await submitQuiz(learner.id, lesson.id, { q1: ["a"], q2: ["a", "c"] });
    expect(passed).toMatchObject({
      ok: true,
      feedback: { outcome: "passed", scorePercent: 50 },
      lessonCompleted: true,
    });
    expect(SAMPLE_QUIZ.passMark).toBe(50);
    const row = await db.lessonProgress.findFirstOrThrow({ where: { userId: learner.id } });
    expect(row.completedAt).not.toBeNull();
  });

  it("loses no acknowledged report when reports race", async () => {
    const { learner, lesson, viewId } = await setup({ durations: [300] });
    const reports = Array.from({ length: 20 }, (_, i) => ({
      viewId,
      lessonId: lesson.id,
      intervals: [[i * 15, i * 15 + 10]] as [number, number][],
      position: i * 15 + 10,
    }));
    const outcomes = await Promise.all(reports.map((report) => recordProgress(learner.id, report, at(100))));
    expect(outcomes.every((o) => o.ok)).toBe(true);
    const row = await db.lessonProgress.findFirstOrThrow({ where: { userId: learner.id } });
    expect(row.watchedSeconds).toBe(200);
  });
});

describe("ProgressReportSchema", () => {
  it("accepts a well-formed report and rejects extra fields, negatives and non-numbers", () => {
    expect(
      ProgressReportSchema.safeParse({ viewId: "v", lessonId: "abc", intervals: [[0, 1]], position: 1 }).success,
    ).toBe(true);
    expect(ProgressReportSchema.safeParse({ lessonId: "abc", intervals: [[0, 1]], position: 1 }).success).toBe(false);
    expect(
      ProgressReportSchema.safeParse({ viewId: "v", lessonId: "abc", intervals: [[-1, 1]], position: 1 }).success,
    ).toBe(false);
    expect(
      ProgressReportSchema.safeParse({ viewId: "v", lessonId: "abc", intervals: [["0", 1]], position: 1 }).success,
    ).toBe(false);
    expect(
      ProgressReportSchema.safeParse({ viewId: "v", lessonId: "abc", intervals: [], position: 1, completed: true })
        .success,
    ).toBe(false);
    expect(
      ProgressReportSchema.safeParse({ viewId: "v", lessonId: "abc", intervals: Array(101).fill([0, 1]), position: 1 })
        .success,
    ).toBe(false);
  });
});

describe("startLessonView", () => {
  it("stops adding rows for a learner who starts views in a loop, handing out a live one instead", async () => {
    const course = await createPublishedCourse({ durations: [200, 200] });
    const learner = await createLearner();
    await createEnrolment(learner.id, course.id);
    const [first, second] = course.lessons;
    const ids = [];
    for (let i = 0; i < MAX_VIEWS_PER_HOUR + 30; i++) ids.push(await startLessonView(learner.id, first!.id, at(i)));
    expect(await db.lessonView.count({ where: { userId: learner.id } })).toBe(MAX_VIEWS_PER_HOUR);
    expect(ids.at(-1)).toBe(ids[MAX_VIEWS_PER_HOUR - 1]);
    // Another lesson with no live view still gets one; an hour later views are new again.
    expect(await startLessonView(learner.id, second!.id, at(200))).not.toBe(ids.at(-1));
    expect(await db.lessonView.count({ where: { userId: learner.id } })).toBe(MAX_VIEWS_PER_HOUR + 1);
    await startLessonView(learner.id, first!.id, at(3 * 3600));
    expect(await db.lessonView.count({ where: { userId: learner.id } })).toBe(MAX_VIEWS_PER_HOUR + 2);
  });
});
