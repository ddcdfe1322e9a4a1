import { clampIntervals, coveredSeconds, type Interval } from "~/learning/intervals";
import type { Quiz, QuizAnswers } from "~/learning/quiz";

// What a trainer sees of their course: how many enrolled, how many finished,
// how far into each lesson learners watched (where they drop off), and how
// often each question is answered right. Pure: the rows come from
// analytics.server.ts, the arithmetic is here, once.

export type AnalyticsLesson = {
  id: string;
  position: number;
  title: string;
  titleEn: string | null;
  language: string;
  durationSeconds: number | null;
  quiz: Quiz | null;
};

export type AnalyticsInput = {
  lessons: readonly AnalyticsLesson[];
  /** Every learner enrolled in the course: the denominator of every share. */
  enrolledUserIds: readonly string[];
  /** Certificates not revoked, of enrolled learners. */
  completedUserIds: readonly string[];
  progress: readonly { userId: string; lessonId: string; intervals: readonly Interval[]; completed: boolean }[];
  attempts: readonly { lessonId: string; answers: QuizAnswers }[];
};

export type LessonAnalytics = {
  id: string;
  position: number;
  title: string;
  titleEn: string | null;
  language: string;
  /** Learners who played any of it. */
  started: number;
  /** Learners for whom the completion rule holds. */
  completed: number;
  /** Mean over enrolled learners of the share of the video each played (0–1); null without a measured length or learners. */
  watchedShare: number | null;
};

export type QuestionAnalytics = {
  lessonId: string;
  questionId: string;
  prompt: string;
  /** Attempts that answered this question (a draw may leave it out). */
  answered: number;
  right: number;
  /** right / answered; null when nobody answered it yet. */
  rightShare: number | null;
};

export type CourseAnalytics = {
  enrolments: number;
  completions: number;
  /** completions / enrolments; null with no enrolments. */
  completionRate: number | null;
  lessons: LessonAnalytics[];
  questions: QuestionAnalytics[];
};

/** Right only when exactly the correct options are chosen: the same rule gradeQuiz applies. */
function answeredRight(question: Quiz["questions"][number], chosen: readonly string[]): boolean {
  const picked = new Set(chosen);
  const correct = question.options.filter((o) => o.correct).map((o) => o.id);
  return picked.size === correct.length && correct.every((id) => picked.has(id));
}

export function courseAnalytics(input: AnalyticsInput): CourseAnalytics {
  const enrolled = new Set(input.enrolledUserIds);
  const completions = new Set(input.completedUserIds.filter((id) => enrolled.has(id))).size;

  const lessons = [...input.lessons].sort((a, b) => a.position - b.position);
  const lessonRows: LessonAnalytics[] = lessons.map((lesson) => {
    const rows = input.progress.filter((p) => p.lessonId === lesson.id && enrolled.has(p.userId));
    const duration = lesson.durationSeconds;
    const watched = rows.map((p) =>
      duration && duration > 0 ? coveredSeconds(clampIntervals(p.intervals, duration)) : coveredSeconds(p.intervals),
    );
    const shareSum =
      duration && duration > 0 ? watched.reduce((sum, seconds) => sum + Math.min(1, seconds / duration), 0) : null;
    return {
      id: lesson.id,
      position: lesson.position,
      title: lesson.title,
      titleEn: lesson.titleEn,
      language: lesson.language,
      started: watched.filter((seconds) => seconds > 0).length,
      completed: rows.filter((p) => p.completed).length,
      watchedShare: shareSum === null || enrolled.size === 0 ? null : shareSum / enrolled.size,
    };
  });

  const questions: QuestionAnalytics[] = [];
  for (const lesson of lessons) {
    if (!lesson.quiz) continue;
    const attempts = input.attempts.filter((a) => a.lessonId === lesson.id);
    for (const question of lesson.quiz.questions) {
      const answers = attempts
        .map((a) => a.answers[question.id])
        .filter((chosen): chosen is string[] => chosen !== undefined && chosen.length > 0);
      const right = answers.filter((chosen) => answeredRight(question, chosen)).length;
      questions.push({
        lessonId: lesson.id,
        questionId: question.id,
        prompt: question.prompt,
        answered: answers.length,
        right,
        rightShare: answers.length === 0 ? null : right / answers.length,
      });
    }
  }

  return {
    enrolments: enrolled.size,
    completions,
    completionRate: enrolled.size === 0 ? null : completions / enrolled.size,
    lessons: lessonRows,
    questions,
  };
}

/** A share as a whole percent, for tables and the chart (null stays null). */
export function percent(share: number | null): number | null {
  return share === null ? null : Math.round(share * 100);
}
