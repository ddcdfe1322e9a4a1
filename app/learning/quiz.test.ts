import { describe, expect, it } from "vitest";
import { SAMPLE_QUIZ } from "../../tests/helpers/fixtures";
import { gradeQuiz, publicQuestions, QuizSchema } from "./quiz";

describe("gradeQuiz", () => {
  it("counts a question right only with exactly its correct options", () => {
    expect(gradeQuiz(SAMPLE_QUIZ, { q1: ["a"], q2: ["a", "b"] })).toEqual({ scorePercent: 100, passed: true, correctQuestionIds: ["q1", "q2"] });
    expect(gradeQuiz(SAMPLE_QUIZ, { q1: ["a"], q2: ["a"] }).correctQuestionIds).toEqual(["q1"]);
    expect(gradeQuiz(SAMPLE_QUIZ, { q1: ["a"], q2: ["a", "b", "c"] }).correctQuestionIds).toEqual(["q1"]);
    expect(gradeQuiz(SAMPLE_QUIZ, {}).scorePercent).toBe(0);
  });
  it("passes at the pass mark, not below", () => {
    const quiz = { ...SAMPLE_QUIZ, passMark: 60 };
    expect(gradeQuiz(quiz, { q1: ["a"] })).toMatchObject({ scorePercent: 50, passed: false });
    expect(gradeQuiz({ ...SAMPLE_QUIZ, passMark: 50 }, { q1: ["a"] })).toMatchObject({ scorePercent: 50, passed: true });
  });
  it("never sends the answers to the page", () => {
    expect(JSON.stringify(publicQuestions(SAMPLE_QUIZ))).not.toContain("correct");
  });
});

describe("QuizSchema", () => {
  it("accepts the sample", () => expect(QuizSchema.safeParse(SAMPLE_QUIZ).success).toBe(true));
  it("rejects a single-choice question with two correct options", () => {
    const bad = structuredClone(SAMPLE_QUIZ);
    bad.questions[0]!.options[1]!.correct = true;
    expect(QuizSchema.safeParse(bad).success).toBe(false);
  });
  it("rejects repeated ids and a pass mark over 100", () => {
    const repeated = structuredClone(SAMPLE_QUIZ);
    repeated.questions[1]!.id = "q1";
    expect(QuizSchema.safeParse(repeated).success).toBe(false);
    expect(QuizSchema.safeParse({ ...SAMPLE_QUIZ, passMark: 120 }).success).toBe(false);
  });
});
