import { describe, expect, it } from "vitest";
import { QuizSchema } from "~/learning/quiz";
import { SAMPLE_QUIZ } from "../../tests/helpers/fixtures";
import { quizProblems } from "./courses.server";

const problemsOf = (quiz: unknown) => {
  const parsed = QuizSchema.safeParse(quiz);
  return parsed.success ? [] : quizProblems(parsed.error.issues);
};

describe("quizProblems", () => {
  it("names the attempt settings the trainer got wrong", () => {
    expect(problemsOf({ ...SAMPLE_QUIZ, attemptsPerRound: 0 })).toEqual([{ code: "attemptsPerRound" }]);
    expect(problemsOf({ ...SAMPLE_QUIZ, cooldownMinutes: -1 })).toEqual([{ code: "cooldownMinutes" }]);
    expect(problemsOf({ ...SAMPLE_QUIZ, questionsPerAttempt: 3 })).toEqual([{ code: "questionsPerAttempt" }]);
  });
  it("names the question whose explanation is too long", () => {
    const quiz = structuredClone(SAMPLE_QUIZ);
    quiz.questions[1]!.explanation = "x".repeat(1001);
    expect(problemsOf(quiz)).toEqual([{ code: "explanation", n: 2 }]);
  });
  it("names the rule a question's options break, whatever the message says", () => {
    const quiz = structuredClone(SAMPLE_QUIZ);
    for (const option of quiz.questions[0]!.options) option.correct = true;
    expect(problemsOf({ ...quiz, questions: [{ ...quiz.questions[0]!, kind: "single" }] })).toEqual([
      { code: "singleCorrect", n: 1 },
    ]);
    const none = {
      ...quiz.questions[0]!,
      kind: "multiple",
      options: quiz.questions[0]!.options.map((o) => ({ ...o, correct: false })),
    };
    expect(problemsOf({ ...quiz, questions: [none] })).toEqual([{ code: "multipleCorrect", n: 1 }]);
    const path = ["questions", 1, "options"];
    expect(
      quizProblems([
        { code: "custom", path, message: "Cần đúng một đáp án", params: { rule: "singleCorrect" }, input: null },
      ]),
    ).toEqual([{ code: "singleCorrect", n: 2 }]);
    expect(quizProblems([{ code: "custom", path, message: "needs exactly one correct option", input: null }])).toEqual([
      { code: "invalid", n: 2 },
    ]);
  });
  it("accepts the settings and explanations within bounds", () => {
    const quiz = { ...structuredClone(SAMPLE_QUIZ), attemptsPerRound: 5, cooldownMinutes: 0, questionsPerAttempt: 1 };
    quiz.questions[0]!.explanation = "Việt Nam gia nhập ICCPR năm 1982.";
    expect(problemsOf(quiz)).toEqual([]);
  });
});
