import { z } from "zod";

// A knowledge check: single- or multiple-choice questions and a pass mark.
// The same schema reads quiz.yaml files, the trainer's editor and the JSON
// stored on the lesson.

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
  })
  .superRefine((q, ctx) => {
    const correct = q.options.filter((o) => o.correct).length;
    if (q.kind === "single" && correct !== 1) {
      ctx.addIssue({ code: "custom", path: ["options"], message: "a single-choice question needs exactly one correct option" });
    }
    if (q.kind === "multiple" && correct < 1) {
      ctx.addIssue({ code: "custom", path: ["options"], message: "a multiple-choice question needs at least one correct option" });
    }
    if (new Set(q.options.map((o) => o.id)).size !== q.options.length) {
      ctx.addIssue({ code: "custom", path: ["options"], message: "option ids must be unique" });
    }
  });

export const QuizSchema = z
  .object({
    passMark: z.number().int().min(1).max(100),
    questions: z.array(QuizQuestionSchema).min(1).max(30),
  })
  .superRefine((quiz, ctx) => {
    if (new Set(quiz.questions.map((q) => q.id)).size !== quiz.questions.length) {
      ctx.addIssue({ code: "custom", path: ["questions"], message: "question ids must be unique" });
    }
  });

export type Quiz = z.infer<typeof QuizSchema>;
export type QuizQuestion = z.infer<typeof QuizQuestionSchema>;

/** The questions without their answers: what the learner's page may see. */
export function publicQuestions(quiz: Quiz) {
  return quiz.questions.map((q) => ({
    id: q.id,
    kind: q.kind,
    prompt: q.prompt,
    options: q.options.map((o) => ({ id: o.id, text: o.text })),
  }));
}

/** Answers as submitted: question id -> chosen option ids. */
export type QuizAnswers = Record<string, string[]>;

export type QuizResult = {
  scorePercent: number;
  passed: boolean;
  correctQuestionIds: string[];
};

/** A question counts as right only when exactly its correct options are chosen. */
export function gradeQuiz(quiz: Quiz, answers: QuizAnswers): QuizResult {
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

export function parseStoredQuiz(json: string | null): Quiz | null {
  if (!json) return null;
  return QuizSchema.parse(JSON.parse(json));
}
