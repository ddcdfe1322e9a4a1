import { z } from "zod";
import { db } from "~/utils/db.server";
import { completeLessonIfDone } from "./progress.server";
import { gradeQuiz, parseStoredQuiz, type QuizResult } from "./quiz";

/** Form fields `answer.<questionId>` (repeated for multiple choice). */
export const QuizAnswersSchema = z.record(
  z.string().regex(/^[a-z0-9-]{1,40}$/),
  z.array(z.string().regex(/^[a-z0-9-]{1,40}$/)).max(8),
);

export function answersFromForm(form: FormData): unknown {
  const answers: Record<string, string[]> = {};
  for (const [key, value] of form.entries()) {
    if (!key.startsWith("answer.") || typeof value !== "string") continue;
    (answers[key.slice("answer.".length)] ??= []).push(value);
  }
  return answers;
}

export type QuizSubmission =
  | { ok: true; result: QuizResult; lessonCompleted: boolean }
  | { ok: false; error: "unknown_lesson" | "not_enrolled" | "no_quiz" | "unanswered" };

export async function submitQuiz(userId: string, lessonId: string, answers: z.infer<typeof QuizAnswersSchema>): Promise<QuizSubmission> {
  const lesson = await db.lesson.findFirst({
    where: { id: lessonId, course: { status: "PUBLISHED" } },
    select: { id: true, courseId: true, quiz: true },
  });
  if (!lesson) return { ok: false, error: "unknown_lesson" };
  const quiz = parseStoredQuiz(lesson.quiz);
  if (!quiz) return { ok: false, error: "no_quiz" };
  const enrolled = await db.enrolment.findUnique({
    where: { userId_courseId: { userId, courseId: lesson.courseId } },
    select: { id: true },
  });
  if (!enrolled) return { ok: false, error: "not_enrolled" };
  if (quiz.questions.some((q) => !answers[q.id]?.length)) return { ok: false, error: "unanswered" };

  const result = gradeQuiz(quiz, answers);
  await db.quizAttempt.create({
    data: { userId, lessonId, answers: JSON.stringify(answers), scorePercent: result.scorePercent, passed: result.passed },
  });
  const lessonCompleted = result.passed ? await completeLessonIfDone(userId, lessonId) : false;
  return { ok: true, result, lessonCompleted };
}
