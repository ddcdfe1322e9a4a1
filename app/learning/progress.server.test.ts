import { describe, expect, it } from "vitest";
import { db } from "~/utils/db.server";
import { createCourse, createLearner, enrolIn, SAMPLE_QUIZ } from "../../tests/helpers/fixtures";
import { parseIntervals, ProgressReportSchema, recordProgress } from "./progress.server";
import { getLearnerQuiz, submitQuiz } from "./quiz.server";

const at = (seconds: number) => new Date(Date.UTC(2026, 0, 1) + seconds * 1000);

async function setup(options: Parameters<typeof createCourse>[0] = {}) {
  const course = await createCourse(options);
  const learner = await createLearner();
  await enrolIn(learner.id, course.id);
  return { course, learner, lesson: course.lessons[0]! };
}

/** Plays `from`→`to` in 10 s reports, 10 s of wall clock apart, like the player does. */
async function watch(userId: string, lessonId: string, from: number, to: number, start = 0) {
  let clock = start;
  const outcomes = [];
  for (let t = from; t < to; t += 10) {
    clock += 10;
    outcomes.push(await recordProgress(userId, { lessonId, intervals: [[t, Math.min(t + 10, to)]], position: Math.min(t + 10, to) }, at(clock)));
  }
  return { outcome: outcomes.at(-1), outcomes, clock };
}

describe("recordProgress", () => {
  it("merges the reported ranges and remembers the position", async () => {
    const { learner, lesson } = await setup();
    await recordProgress(learner.id, { lessonId: lesson.id, intervals: [[0, 10]], position: 10 }, at(10));
    await recordProgress(learner.id, { lessonId: lesson.id, intervals: [[5, 20]], position: 20 }, at(20));
    const row = await db.lessonProgress.findUniqueOrThrow({ where: { userId_lessonId: { userId: learner.id, lessonId: lesson.id } } });
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
    const completion = await db.courseCompletion.findUniqueOrThrow({ where: { userId_courseId: { userId: learner.id, courseId: course.id } } });
    expect(completion.certificateCode).toMatch(/^[A-Z2-7]{4}(-[A-Z2-7]{4}){3}$/);
  });

  it("does not complete a lesson when the learner skipped to the end", async () => {
    const { learner, lesson } = await setup({ durations: [200] });
    const { clock } = await watch(learner.id, lesson.id, 0, 30);
    const outcome = await recordProgress(learner.id, { lessonId: lesson.id, intervals: [[190, 200]], position: 200 }, at(clock + 10));
    expect(outcome).toMatchObject({ ok: true, completed: false, watchedPercent: 20 });
  });

  it("refuses a single report claiming more than could have been played", async () => {
    const { learner, lesson } = await setup({ durations: [200] });
    const outcome = await recordProgress(learner.id, { lessonId: lesson.id, intervals: [[0, 200]], position: 200 }, at(1));
    expect(outcome).toEqual({ ok: false, status: 422, error: "implausible" });
    expect(await db.lessonProgress.count({ where: { userId: learner.id } })).toBe(0);
  });

  it("refuses ranges past the end, overlapping or reversed, storing nothing", async () => {
    const { learner, lesson } = await setup({ durations: [200] });
    for (const intervals of [[[190, 260]], [[0, 10], [5, 15]], [[20, 10]], [[10, 20], [0, 5]]] as [number, number][][]) {
      const outcome = await recordProgress(learner.id, { lessonId: lesson.id, intervals, position: 10 }, at(10));
      expect(outcome).toEqual({ ok: false, status: 422, error: "invalid_intervals" });
    }
    expect(await db.lessonProgress.count({ where: { userId: learner.id } })).toBe(0);
  });

  it("refuses learners who are not enrolled, and unknown or unpublished lessons", async () => {
    const course = await createCourse();
    const draft = await createCourse({ status: "DRAFT" });
    const stranger = await createLearner();
    await enrolIn(stranger.id, draft.id);
    const report = { intervals: [[0, 10]] as [number, number][], position: 10 };
    expect(await recordProgress(stranger.id, { ...report, lessonId: course.lessons[0]!.id })).toMatchObject({ status: 403 });
    expect(await recordProgress(stranger.id, { ...report, lessonId: "does-not-exist" })).toMatchObject({ status: 404 });
    expect(await recordProgress(stranger.id, { ...report, lessonId: draft.lessons[0]!.id })).toMatchObject({ status: 404 });
    expect(await db.lessonProgress.count({ where: { userId: stranger.id } })).toBe(0);
  });

  it("needs the knowledge check passed as well as the video watched", async () => {
    const { learner, lesson } = await setup({ durations: [200], quizOn: [0] });
    const { outcome } = await watch(learner.id, lesson.id, 0, 200);
    expect(outcome).toMatchObject({ ok: true, completed: false });

    await getLearnerQuiz(learner.id, lesson.id, lesson.quiz); // draws the questions
    const failed = await submitQuiz(learner.id, lesson.id, { q1: ["b"], q2: ["a"] });
    expect(failed).toMatchObject({ ok: true, feedback: { outcome: "failed", scorePercent: 0 }, lessonCompleted: false });
    await getLearnerQuiz(learner.id, lesson.id, lesson.quiz);
    const passed = await submitQuiz(learner.id, lesson.id, { q1: ["a"], q2: ["a", "c"] });
    expect(passed).toMatchObject({ ok: true, feedback: { outcome: "passed", scorePercent: 50 }, lessonCompleted: true });
    expect(SAMPLE_QUIZ.passMark).toBe(50);
    const row = await db.lessonProgress.findFirstOrThrow({ where: { userId: learner.id } });
    expect(row.completedAt).not.toBeNull();
  });

  it("loses no acknowledged report when reports race", async () => {
    const { learner, lesson } = await setup({ durations: [300] });
    const reports = Array.from({ length: 20 }, (_, i) => ({ lessonId: lesson.id, intervals: [[i * 15, i * 15 + 10]] as [number, number][], position: i * 15 + 10 }));
    const outcomes = await Promise.all(reports.map((report) => recordProgress(learner.id, report, at(100))));
    expect(outcomes.every((o) => o.ok)).toBe(true);
    const row = await db.lessonProgress.findFirstOrThrow({ where: { userId: learner.id } });
    expect(row.watchedSeconds).toBe(200);
  });
});

describe("ProgressReportSchema", () => {
  it("accepts a well-formed report and rejects extra fields, negatives and non-numbers", () => {
    expect(ProgressReportSchema.safeParse({ lessonId: "abc", intervals: [[0, 1]], position: 1 }).success).toBe(true);
    expect(ProgressReportSchema.safeParse({ lessonId: "abc", intervals: [[-1, 1]], position: 1 }).success).toBe(false);
    expect(ProgressReportSchema.safeParse({ lessonId: "abc", intervals: [["0", 1]], position: 1 }).success).toBe(false);
    expect(ProgressReportSchema.safeParse({ lessonId: "abc", intervals: [], position: 1, completed: true }).success).toBe(false);
    expect(ProgressReportSchema.safeParse({ lessonId: "abc", intervals: Array(101).fill([0, 1]), position: 1 }).success).toBe(false);
  });
});
