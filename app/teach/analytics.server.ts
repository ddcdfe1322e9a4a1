import { parseIntervals } from "~/learning/progress.server";
import { parseStoredQuiz } from "~/learning/quiz";
import { parseStoredAnswers } from "~/learning/quiz.server";
import { db } from "~/utils/db.server";
import { courseAnalytics, type CourseAnalytics } from "./analytics";
import type { Actor } from "./ownership";
import { editableBy } from "./ownership.server";

/**
 * The course's figures, read from the stored rows: enrolments, certificates
 * not revoked, each enrolled learner's watched intervals, and every quiz
 * attempt's answers (QuizAttempt.answers has held question id → chosen
 * options since the first attempt was stored). Null when the course does not
 * exist or is not `actor`'s: every query is scoped by the same editableBy
 * filter the editor uses.
 */
export async function loadCourseAnalytics(
  actor: Actor,
  courseId: string,
): Promise<(CourseAnalytics & { course: AnalyticsCourse }) | null> {
  const course = await db.course.findFirst({
    where: { id: courseId, ...editableBy(actor) },
    select: {
      id: true,
      title: true,
      titleEn: true,
      language: true,
      lessons: {
        orderBy: { position: "asc" },
        select: {
          id: true,
          position: true,
          title: true,
          titleEn: true,
          language: true,
          durationSeconds: true,
          quiz: true,
        },
      },
    },
  });
  if (!course) return null;
  const scoped = { courseId: course.id, course: editableBy(actor) };
  const enrolledLearner = { enrolments: { some: { courseId: course.id } } };
  const [enrolments, completions, progress, attempts] = await Promise.all([
    db.enrolment.findMany({ where: scoped, select: { userId: true } }),
    db.courseCompletion.findMany({
      where: { ...scoped, revokedAt: null, user: enrolledLearner },
      select: { userId: true },
    }),
    db.lessonProgress.findMany({
      where: { lesson: scoped, user: enrolledLearner },
      select: { userId: true, lessonId: true, watchedIntervals: true, completedAt: true },
    }),
    db.quizAttempt.findMany({
      where: { lesson: scoped, user: enrolledLearner },
      select: { lessonId: true, answers: true },
    }),
  ]);
  const figures = courseAnalytics({
    lessons: course.lessons.map((lesson) => ({ ...lesson, quiz: parseStoredQuiz(lesson.quiz) })),
    enrolledUserIds: enrolments.map((e) => e.userId),
    completedUserIds: completions.map((c) => c.userId),
    progress: progress.map((p) => ({
      userId: p.userId,
      lessonId: p.lessonId,
      intervals: parseIntervals(p.watchedIntervals),
      completed: p.completedAt !== null,
    })),
    attempts: attempts.map((a) => ({ lessonId: a.lessonId, answers: parseStoredAnswers(a.answers) })),
  });
  return {
    ...figures,
    course: { id: course.id, title: course.title, titleEn: course.titleEn, language: course.language },
  };
}

export type AnalyticsCourse = { id: string; title: string; titleEn: string | null; language: string };
