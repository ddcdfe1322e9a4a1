// A trainer's course figures from real rows, on SQLite and PostgreSQL: three
// enrolled learners who watched different parts, quiz attempts, a revoked
// certificate, and a learner who is not enrolled (whose rows count nowhere).
// Every expected number is worked out by hand in the comments.
import { beforeAll, describe, expect, it } from "vitest";
import { db } from "~/utils/db.server";
import { createEnrolment, createLearner, createPublishedCourse } from "../../tests/helpers/fixtures";
import { createUserWithRole } from "../../tests/fixtures/teach";
import { courseAnalytics } from "./analytics";
import { loadCourseAnalytics } from "./analytics.server";
import type { Actor } from "./ownership";

let course: Awaited<ReturnType<typeof createPublishedCourse>>;
let owner: Actor;
let otherTrainer: Actor;
let admin: Actor;
let learnerA: Actor;

const json = JSON.stringify;

beforeAll(async () => {
  // Lesson 1: 200 s with the sample quiz (q1 single: a; q2 multiple: a+b). Lesson 2: 100 s, no quiz.
  course = await createPublishedCourse({ durations: [200, 100], quizOn: [0] });
  const [one, two] = course.lessons;
  owner = await createUserWithRole("TRAINER");
  otherTrainer = await createUserWithRole("TRAINER");
  admin = await createUserWithRole("ADMIN");
  await db.courseOwner.create({ data: { courseId: course.id, userId: owner.id } });

  const a = await createLearner();
  const b = await createLearner();
  const c = await createLearner();
  const outsider = await createLearner(); // never enrolled
  learnerA = { id: a.id, role: "LEARNER" };
  for (const learner of [a, b, c]) await createEnrolment(learner.id, course.id);

  const progress = (userId: string, lessonId: string, intervals: [number, number][], completed = false) =>
    db.lessonProgress.create({
      data: { userId, lessonId, watchedIntervals: json(intervals), completedAt: completed ? new Date() : null },
    });
  // A watched everything: 200/200 and 100/100.
  await progress(a.id, one!.id, [[0, 200]], true);
  await progress(a.id, two!.id, [[0, 100]], true);
  // B: two parts of lesson 1, 50 + 50 = 100/200 = 0.5; never opened lesson 2.
  await progress(b.id, one!.id, [
    [0, 50],
    [100, 150],
  ]);
  // C: 0–30, and 190–260 cut at the end to 190–200: 40/200 = 0.2.
  await progress(c.id, one!.id, [
    [0, 30],
    [190, 260],
  ]);
  // The outsider's full watch counts nowhere.
  await progress(outsider.id, one!.id, [[0, 200]], true);

  await db.courseCompletion.create({ data: { userId: a.id, courseId: course.id, certificateCode: `A-${a.id}` } });
  await db.courseCompletion.create({
    data: {
      userId: b.id,
      courseId: course.id,
      certificateCode: `B-${b.id}`,
      revokedAt: new Date(),
      revokedReason: "test",
    },
  });
  await db.courseCompletion.create({
    data: { userId: outsider.id, courseId: course.id, certificateCode: `O-${outsider.id}` },
  });

  const attempt = (userId: string, answers: Record<string, string[]>) =>
    db.quizAttempt.create({
      data: { userId, lessonId: one!.id, answers: json(answers), scorePercent: 0, passed: false },
    });
  await attempt(a.id, { q1: ["b"], q2: ["a", "b"] }); // q1 wrong, q2 right
  await attempt(a.id, { q1: ["a"], q2: ["b", "a"] }); // both right
  await attempt(b.id, { q1: ["a"], q2: ["a"] }); // q1 right, q2 wrong (one of two)
  await attempt(c.id, { q1: ["a"] }); // a draw of one question: q1 right
  await attempt(outsider.id, { q1: ["b"], q2: ["c"] }); // not enrolled: not counted
});

describe("course figures", () => {
  it("counts enrolments, completions, watched shares and right answers from the stored rows", async () => {
    const figures = await loadCourseAnalytics(owner, course.id);
    expect(figures).not.toBeNull();
    // 3 enrolled; A's certificate counts, B's is revoked, the outsider is not enrolled.
    expect(figures!.enrolments).toBe(3);
    expect(figures!.completions).toBe(1);
    expect(figures!.completionRate).toBeCloseTo(1 / 3, 10);
    expect(figures!.lessons.map((l) => [l.title, l.started, l.completed])).toEqual([
      ["Bài 1", 3, 1],
      ["Bài 2", 1, 1],
    ]);
    // Lesson 1: (1 + 0.5 + 0.2) / 3; lesson 2: (1 + 0 + 0) / 3.
    expect(figures!.lessons[0]!.watchedShare).toBeCloseTo(1.7 / 3, 10);
    expect(figures!.lessons[1]!.watchedShare).toBeCloseTo(1 / 3, 10);
    // q1: answered 4 times, right 3 (A's second, B, C); q2: answered 3 times, right 2 (A twice).
    expect(figures!.questions.map((q) => [q.questionId, q.answered, q.right])).toEqual([
      ["q1", 4, 3],
      ["q2", 3, 2],
    ]);
    expect(figures!.questions[0]!.rightShare).toBe(0.75);
    expect(figures!.questions[1]!.rightShare).toBeCloseTo(2 / 3, 10);
  });

  it("is the course's own trainers' and the admins': another trainer and a learner get nothing", async () => {
    expect((await loadCourseAnalytics(admin, course.id))?.enrolments).toBe(3);
    expect(await loadCourseAnalytics(otherTrainer, course.id)).toBeNull();
    expect(await loadCourseAnalytics(learnerA, course.id)).toBeNull();
    expect(await loadCourseAnalytics(owner, "no-such-course")).toBeNull();
  });
});

describe("courseAnalytics", () => {
  it("has no rate and no shares without learners, and no share for a lesson whose length is unmeasured", () => {
    const lessons = [
      { id: "l1", position: 0, title: "Một", titleEn: null, language: "vi", durationSeconds: null, quiz: null },
      { id: "l2", position: 1, title: "Hai", titleEn: null, language: "vi", durationSeconds: 60, quiz: null },
    ];
    const empty = courseAnalytics({ lessons, enrolledUserIds: [], completedUserIds: [], progress: [], attempts: [] });
    expect(empty).toMatchObject({ enrolments: 0, completions: 0, completionRate: null, questions: [] });
    expect(empty.lessons.map((l) => l.watchedShare)).toEqual([null, null]);

    const one = courseAnalytics({
      lessons,
      enrolledUserIds: ["u"],
      completedUserIds: [],
      progress: [
        { userId: "u", lessonId: "l1", intervals: [[0, 30]], completed: false },
        // Overlapping ranges count once: 0–45 of 60.
        {
          userId: "u",
          lessonId: "l2",
          intervals: [
            [0, 30],
            [15, 45],
          ],
          completed: false,
        },
      ],
      attempts: [],
    });
    expect(one.lessons.map((l) => [l.started, l.watchedShare])).toEqual([
      [1, null],
      [1, 0.75],
    ]);
  });
});
