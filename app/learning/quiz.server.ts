import { randomInt } from "node:crypto";
import { z } from "zod";
import { getSql, isoInstantOf, statement, type Sql } from "~/db/sql.server";
import { db } from "~/utils/db.server";
import { parseStoredJsonOr } from "~/utils/stored-json";
import { completeLessonIfDone } from "./progress.server";
import {
  attemptBudget,
  attemptFeedback,
  checkAnswers,
  drawnQuestions,
  drawQuiz,
  gradeQuiz,
  parseStoredDraw,
  parseStoredQuiz,
  publicDraw,
  serializeDraw,
  quizLimits,
  reviewAttempt,
  type AttemptFeedback,
  type Quiz,
  type QuizQuestion,
} from "./quiz";

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

// Draws must not be guessable from earlier ones, so not Math.random.
const secureRandom = () => randomInt(0, 2 ** 32) / 2 ** 32;

/**
 * QuizAttempt.answers. Unreadable answers grade as none given: only the
 * review of a past attempt uses them, its score is stored beside them.
 */
export function parseStoredAnswers(json: string): z.infer<typeof QuizAnswersSchema> {
  return parseStoredJsonOr("QuizAttempt.answers", QuizAnswersSchema, json, {});
}

export function serializeAnswers(answers: z.infer<typeof QuizAnswersSchema>): string {
  return JSON.stringify(answers);
}

// The lesson page reads (and on first sight writes) the learner's draw and
// attempts on every load: prepared statements rather than ORM calls
// (docs/decisions/105-progress-off-the-orm.md, 165-catalog-read-model.md).
const storedDrawQuery = statement((sql: Sql, userId: string, lessonId: string) =>
  sql.db
    .selectFrom("QuizDraw")
    .select((eb) => ["draw", isoInstantOf(sql, eb.ref("createdAt")).as("createdAt")])
    .where("userId", "=", userId)
    .where("lessonId", "=", lessonId),
);
const insertDraw = statement((sql: Sql, userId: string, lessonId: string, draw: string, now: Date) =>
  sql.db
    .insertInto("QuizDraw")
    .values({ userId, lessonId, draw, createdAt: now })
    .onConflict((conflict) => conflict.columns(["userId", "lessonId"]).doNothing()),
);
// The stored instant is compared as it was read (isoInstantOf), so it matches on both databases.
const replaceDraw = statement(
  (sql: Sql, userId: string, lessonId: string, readCreatedAt: string, draw: string, now: Date) =>
    sql.db
      .updateTable("QuizDraw")
      .set({ draw, createdAt: now })
      .where("userId", "=", userId)
      .where("lessonId", "=", lessonId)
      .where("createdAt", "=", readCreatedAt),
);
const attemptsQuery = statement((sql: Sql, userId: string, lessonId: string) =>
  sql.db
    .selectFrom("QuizAttempt")
    .select((eb) => [
      isoInstantOf(sql, eb.ref("createdAt")).as("createdAt"),
      "passed",
      "scorePercent",
      "draw",
      "answers",
    ])
    .where("userId", "=", userId)
    .where("lessonId", "=", lessonId)
    .orderBy("createdAt")
    .orderBy("id"),
);

/**
 * The learner's current draw for the lesson, made (or remade, if the quiz
 * changed) when needed. Pages loaded at the same moment get the same draw:
 * the first write wins and everyone reads back what was stored, so the page's
 * questions are the ones its answers are graded against.
 */
async function currentDraw(userId: string, lessonId: string, quiz: Quiz, sql: Sql): Promise<QuizQuestion[]> {
  const stored = await sql.first(storedDrawQuery(sql, userId, lessonId));
  const existing = stored ? parseStoredDraw(stored.draw) : null;
  const questions = existing ? drawnQuestions(quiz, existing) : null;
  if (questions) return questions;
  const draw = serializeDraw(drawQuiz(quiz, secureRandom));
  if (!stored) {
    await sql.run(insertDraw(sql, userId, lessonId, draw, new Date()));
  } else {
    // Only the stale draw this request read is replaced, never a newer one.
    await sql.run(replaceDraw(sql, userId, lessonId, stored.createdAt, draw, new Date()));
  }
  const winner = await sql.first(storedDrawQuery(sql, userId, lessonId));
  const parsed = winner ? parseStoredDraw(winner.draw) : null;
  const current = parsed ? drawnQuestions(quiz, parsed) : null;
  if (!current) throw new Error("the quiz draw could not be stored");
  return current;
}

/** The review of a stored attempt, or none when the quiz has changed since. */
function storedReview(quiz: Quiz, attempt: { draw: string | null; answers: string } | undefined) {
  if (!attempt?.draw) return [];
  const draw = parseStoredDraw(attempt.draw);
  const questions = draw ? drawnQuestions(quiz, draw) : null;
  if (!questions) return [];
  return reviewAttempt(
    questions,
    gradeQuiz({ passMark: quiz.passMark, questions }, parseStoredAnswers(attempt.answers)),
  );
}

export type LearnerQuiz = NonNullable<Awaited<ReturnType<typeof getLearnerQuiz>>>;

/**
 * The knowledge check as this learner may see it now: the drawn questions
 * without answers while attempts are open; the review once passed or while a
 * cooldown runs.
 */
export async function getLearnerQuiz(
  userId: string,
  lessonId: string,
  storedQuiz: string | null,
  now = new Date(),
  sql: Sql = getSql(),
) {
  const quiz = parseStoredQuiz(storedQuiz);
  if (!quiz) return null;
  const limits = quizLimits(quiz);
  const attempts = (await sql.all(attemptsQuery(sql, userId, lessonId))).map((a) => ({
    ...a,
    createdAt: new Date(a.createdAt),
    passed: Boolean(a.passed),
    scorePercent: Number(a.scorePercent),
  }));
  const budget = attemptBudget(attempts, limits, now);
  const base = {
    passMark: quiz.passMark,
    attemptsPerRound: limits.attemptsPerRound,
    cooldownMinutes: limits.cooldownMinutes,
  };
  if (budget.state === "passed") {
    const passed = attempts.find((a) => a.passed)!;
    return { ...base, state: "passed" as const, scorePercent: passed.scorePercent, review: storedReview(quiz, passed) };
  }
  if (budget.state === "cooldown") {
    return {
      ...base,
      state: "cooldown" as const,
      retryAt: budget.retryAt.toISOString(),
      review: storedReview(quiz, attempts.at(-1)),
    };
  }
  const questions = await currentDraw(userId, lessonId, quiz, sql);
  return { ...base, state: "open" as const, attemptsLeft: budget.attemptsLeft, questions: publicDraw(questions) };
}

export type QuizRefusal =
  | { error: "unknown_lesson" | "not_enrolled" | "no_quiz" }
  | { error: "unanswered" | "outside_draw" | "no_draw" | "already_passed" }
  | { error: "cooldown"; retryAt: Date };

export type QuizSubmission =
  { ok: true; feedback: AttemptFeedback; lessonCompleted: boolean } | ({ ok: false } & QuizRefusal);

/**
 * Grades an attempt against the draw stored for this learner, within the
 * attempt budget by the server's clock. A refused attempt records nothing.
 */
export async function submitQuiz(
  userId: string,
  lessonId: string,
  answers: z.infer<typeof QuizAnswersSchema>,
  now = new Date(),
): Promise<QuizSubmission> {
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

  const limits = quizLimits(quiz);
  const attempts = await db.quizAttempt.findMany({
    where: { userId, lessonId },
    select: { createdAt: true, passed: true },
  });
  const budget = attemptBudget(attempts, limits, now);
  if (budget.state === "passed") return { ok: false, error: "already_passed" };
  if (budget.state === "cooldown") return { ok: false, error: "cooldown", retryAt: budget.retryAt };

  const stored = await db.quizDraw.findUnique({
    where: { userId_lessonId: { userId, lessonId } },
    select: { draw: true, createdAt: true },
  });
  const draw = stored ? parseStoredDraw(stored.draw) : null;
  const questions = draw ? drawnQuestions(quiz, draw) : null;
  // No draw, or one the trainer's edits have overtaken: the page must reload for a new one.
  if (!stored || !questions) return { ok: false, error: "no_draw" };
  const problem = checkAnswers(questions, answers);
  if (problem) return { ok: false, error: problem };

  const result = gradeQuiz({ passMark: quiz.passMark, questions }, answers);
  const feedback = attemptFeedback(questions, result, {
    attemptsLeftBefore: budget.attemptsLeft,
    cooldownMinutes: limits.cooldownMinutes,
    now,
  });
  const recorded = await db.$transaction(async (tx) => {
    // Consuming the draw makes a double submission of one page count once.
    const { count } = await tx.quizDraw.deleteMany({ where: { userId, lessonId, createdAt: stored.createdAt } });
    if (count === 0) return false;
    await tx.quizAttempt.create({
      data: {
        userId,
        lessonId,
        answers: serializeAnswers(answers),
        draw: stored.draw,
        scorePercent: result.scorePercent,
        passed: result.passed,
        createdAt: now,
      },
    });
    return true;
  });
  if (!recorded) return { ok: false, error: "no_draw" };
  const lessonCompleted = result.passed ? await completeLessonIfDone(userId, lessonId, now) : false;
  return { ok: true, feedback, lessonCompleted };
}
