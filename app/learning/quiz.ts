import { z } from "zod";
import { parseStoredJson, parseStoredJsonOr } from "~/utils/stored-json";

// A knowledge check: single- or multiple-choice questions and a pass mark.
// The same schema reads quiz.yaml files, the trainer's editor and the JSON
// stored on the lesson. The rules for an attempt (how many, how often, which
// questions in which order, what the learner is told) live here too.

const id = z.string().regex(/^[a-z0-9-]{1,40}$/, "ids are 1–40 lower-case letters, digits or dashes");

export const QuizOptionSchema = z.object({
  id,
  text: z.string().trim().min(1).max(500),
  correct: z.boolean().default(false),
});

export const QuizQuestionSchema = z
  .object({
    id,
    kind: z.enum(["single", "multiple"]),
    prompt: z.string().trim().min(1).max(1000),
    options: z.array(QuizOptionSchema).min(2).max(8),
    // Shown once the learner has passed (or used up a round of attempts).
    explanation: z.string().trim().max(1000).optional(),
  })
  .superRefine((q, ctx) => {
    const correct = q.options.filter((o) => o.correct).length;
    const broken = (rule: QuizOptionsRule, message: string) =>
      ctx.addIssue({ code: "custom", path: ["options"], message, params: { rule } });
    if (q.kind === "single" && correct !== 1)
      broken("singleCorrect", "a single-choice question needs exactly one correct option");
    if (q.kind === "multiple" && correct < 1)
      broken("multipleCorrect", "a multiple-choice question needs at least one correct option");
    if (new Set(q.options.map((o) => o.id)).size !== q.options.length)
      broken("uniqueOptionIds", "option ids must be unique");
  });

/** The rules a question's options can break, carried in the issue's params so readers need not match message text. */
export type QuizOptionsRule = "singleCorrect" | "multipleCorrect" | "uniqueOptionIds";

/** The options rule a schema issue reports, if it is one. */
export function quizOptionsRule(issue: z.core.$ZodIssue): QuizOptionsRule | undefined {
  if (issue.code !== "custom") return undefined;
  const rule: unknown = issue.params?.rule;
  return rule === "singleCorrect" || rule === "multipleCorrect" || rule === "uniqueOptionIds" ? rule : undefined;
}

export const DEFAULT_ATTEMPTS_PER_ROUND = 3;
export const DEFAULT_COOLDOWN_MINUTES = 10;

export const QuizSchema = z
  .object({
    passMark: z.number().int().min(1).max(100),
    // Optional so that quizzes stored before these settings still read; the
    // defaults apply through quizLimits().
    attemptsPerRound: z.number().int().min(1).max(20).optional(),
    cooldownMinutes: z.number().int().min(0).max(10_080).optional(),
    questionsPerAttempt: z.number().int().min(1).max(30).optional(),
    questions: z.array(QuizQuestionSchema).min(1).max(30),
  })
  .superRefine((quiz, ctx) => {
    if (new Set(quiz.questions.map((q) => q.id)).size !== quiz.questions.length) {
      ctx.addIssue({ code: "custom", path: ["questions"], message: "question ids must be unique" });
    }
    if (quiz.questionsPerAttempt !== undefined && quiz.questionsPerAttempt > quiz.questions.length) {
      ctx.addIssue({
        code: "custom",
        path: ["questionsPerAttempt"],
        message: "cannot draw more questions than the quiz has",
      });
    }
  });

export type Quiz = z.infer<typeof QuizSchema>;
export type QuizQuestion = z.infer<typeof QuizQuestionSchema>;

export function quizLimits(quiz: Quiz) {
  return {
    attemptsPerRound: quiz.attemptsPerRound ?? DEFAULT_ATTEMPTS_PER_ROUND,
    cooldownMinutes: quiz.cooldownMinutes ?? DEFAULT_COOLDOWN_MINUTES,
    questionsPerAttempt: Math.min(quiz.questionsPerAttempt ?? quiz.questions.length, quiz.questions.length),
  };
}

/** The questions without their answers: what a trainer's preview shows. */
export function publicQuestions(quiz: Quiz) {
  return quiz.questions.map((q) => ({
    id: q.id,
    kind: q.kind,
    prompt: q.prompt,
    options: q.options.map((o) => ({ id: o.id, text: o.text })),
  }));
}

export type PublicQuestion = ReturnType<typeof publicQuestions>[number];

// ---- Draws: which questions an attempt asks, options in the order shown ----

/** Stored server-side per learner and lesson; the attempt must answer exactly this. */
export const QuizDrawSchema = z
  .array(z.object({ questionId: id, optionIds: z.array(id).min(2).max(8) }))
  .min(1)
  .max(30);
export type QuizDraw = z.infer<typeof QuizDrawSchema>;

/** Fisher–Yates with an injected source of randomness in [0, 1). */
export function shuffled<T>(items: readonly T[], random: () => number): T[] {
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

/**
 * A fresh draw: `questionsPerAttempt` questions from the bank (kept in the
 * bank's order, which follows the lesson), each with its options shuffled.
 */
export function drawQuiz(quiz: Quiz, random: () => number): QuizDraw {
  const { questionsPerAttempt } = quizLimits(quiz);
  const chosen = new Set(
    shuffled(quiz.questions, random)
      .slice(0, questionsPerAttempt)
      .map((q) => q.id),
  );
  return quiz.questions
    .filter((q) => chosen.has(q.id))
    .map((q) => ({ questionId: q.id, optionIds: shuffled(q.options, random).map((o) => o.id) }));
}

/**
 * The drawn questions as the quiz now has them, or null when the trainer has
 * since changed them (a question gone, options added or removed): such a draw
 * can no longer be graded fairly and is replaced.
 */
export function drawnQuestions(quiz: Quiz, draw: QuizDraw): QuizQuestion[] | null {
  const out: QuizQuestion[] = [];
  for (const item of draw) {
    const question = quiz.questions.find((q) => q.id === item.questionId);
    if (!question || question.options.length !== item.optionIds.length) return null;
    const options = item.optionIds.map((oid) => question.options.find((o) => o.id === oid));
    if (options.some((o) => !o)) return null;
    out.push({ ...question, options: options as QuizQuestion["options"] });
  }
  return out;
}

/** What the learner's page gets: the drawn questions, options in draw order, no `correct`, no explanation. */
export function publicDraw(questions: QuizQuestion[]): PublicQuestion[] {
  return questions.map((q) => ({
    id: q.id,
    kind: q.kind,
    prompt: q.prompt,
    options: q.options.map((o) => ({ id: o.id, text: o.text })),
  }));
}

// ---- Answers and grading ----

/** Answers as submitted: question id -> chosen option ids. */
export type QuizAnswers = Record<string, string[]>;

export type AnswersProblem = "unanswered" | "outside_draw";

/** An attempt answers every drawn question, and nothing else. */
export function checkAnswers(questions: QuizQuestion[], answers: QuizAnswers): AnswersProblem | null {
  const byId = new Map(questions.map((q) => [q.id, q]));
  for (const [questionId, chosen] of Object.entries(answers)) {
    const question = byId.get(questionId);
    if (!question) return "outside_draw";
    if (chosen.some((oid) => !question.options.some((o) => o.id === oid))) return "outside_draw";
    if (question.kind === "single" && chosen.length > 1) return "outside_draw";
  }
  if (questions.some((q) => !answers[q.id]?.length)) return "unanswered";
  return null;
}

export type QuizResult = {
  scorePercent: number;
  passed: boolean;
  correctQuestionIds: string[];
};

/** A question counts as right only when exactly its correct options are chosen. */
export function gradeQuiz(quiz: Pick<Quiz, "passMark" | "questions">, answers: QuizAnswers): QuizResult {
  const correctQuestionIds = quiz.questions
    .filter((q) => {
      const chosen = new Set(answers[q.id] ?? []);
      const correct = q.options.filter((o) => o.correct).map((o) => o.id);
      return chosen.size === correct.length && correct.every((o) => chosen.has(o));
    })
    .map((q) => q.id);
  const scorePercent = Math.round((correctQuestionIds.length / quiz.questions.length) * 100);
  return { scorePercent, passed: scorePercent >= quiz.passMark, correctQuestionIds };
}

// ---- Attempt budget: a round of attempts, then a cooldown ----

export type AttemptBudget =
  { state: "passed" } | { state: "open"; attemptsLeft: number } | { state: "cooldown"; retryAt: Date };

/**
 * Where a learner stands, from their past attempts and the server's clock.
 * A round is `attemptsPerRound` attempts; once it is used up, the next round
 * opens `cooldownMinutes` after the round's last attempt.
 */
export function attemptBudget(
  attempts: readonly { createdAt: Date; passed: boolean }[],
  limits: { attemptsPerRound: number; cooldownMinutes: number },
  now: Date,
): AttemptBudget {
  if (attempts.some((a) => a.passed)) return { state: "passed" };
  const cooldownMs = limits.cooldownMinutes * 60_000;
  const sorted = [...attempts].sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime());
  let used = 0;
  let last: Date | null = null;
  for (const attempt of sorted) {
    if (last && used >= limits.attemptsPerRound && attempt.createdAt.getTime() >= last.getTime() + cooldownMs) used = 0;
    used++;
    last = attempt.createdAt;
  }
  if (used < limits.attemptsPerRound) return { state: "open", attemptsLeft: limits.attemptsPerRound - used };
  const retryAt = new Date(last!.getTime() + cooldownMs);
  if (now.getTime() >= retryAt.getTime()) return { state: "open", attemptsLeft: limits.attemptsPerRound };
  return { state: "cooldown", retryAt };
}

// ---- What the learner is told after an attempt ----

export type QuestionReview = {
  id: string;
  prompt: string;
  right: boolean;
  correctOptions: string[];
  explanation: string | null;
};

export type AttemptFeedback =
  | { outcome: "passed"; scorePercent: number; review: QuestionReview[] }
  | { outcome: "failed"; scorePercent: number; attemptsLeft: number }
  | { outcome: "exhausted"; scorePercent: number; retryAt: Date; review: QuestionReview[] };

/** Each drawn question with whether it was answered right, its answer and explanation. */
export function reviewAttempt(questions: QuizQuestion[], result: QuizResult): QuestionReview[] {
  return questions.map((q) => ({
    id: q.id,
    prompt: q.prompt,
    right: result.correctQuestionIds.includes(q.id),
    correctOptions: q.options.filter((o) => o.correct).map((o) => o.text),
    explanation: q.explanation ?? null,
  }));
}

/**
 * The answer to a graded attempt. Until the learner passes or uses up the
 * round, it says only the score: telling which questions were right would let
 * them find the answers by elimination.
 */
export function attemptFeedback(
  questions: QuizQuestion[],
  result: QuizResult,
  round: { attemptsLeftBefore: number; cooldownMinutes: number; now: Date },
): AttemptFeedback {
  const { scorePercent } = result;
  if (result.passed) return { outcome: "passed", scorePercent, review: reviewAttempt(questions, result) };
  if (round.attemptsLeftBefore <= 1) {
    const retryAt = new Date(round.now.getTime() + round.cooldownMinutes * 60_000);
    return { outcome: "exhausted", scorePercent, retryAt, review: reviewAttempt(questions, result) };
  }
  return { outcome: "failed", scorePercent, attemptsLeft: round.attemptsLeftBefore - 1 };
}

/**
 * Lesson.quiz as stored. A corrupt quiz stops with a clear error rather than
 * reading as "no quiz": that default would let learners complete the lesson
 * without the knowledge check its course requires.
 */
export function parseStoredQuiz(json: string | null): Quiz | null {
  if (!json) return null;
  return parseStoredJson("Lesson.quiz", QuizSchema, json);
}

export function serializeQuiz(quiz: Quiz): string {
  return JSON.stringify(quiz);
}

/**
 * QuizDraw.draw and QuizAttempt.draw. An unreadable draw reads as none: the
 * learner gets a fresh draw, and a past attempt shows no review.
 */
export function parseStoredDraw(json: string): QuizDraw | null {
  return parseStoredJsonOr("QuizDraw.draw", QuizDrawSchema, json, null);
}

export function serializeDraw(draw: QuizDraw): string {
  return JSON.stringify(draw);
}
