import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { QuizSchema } from "~/learning/quiz";

// The demo courses' knowledge checks: a learner who always picks the first
// option must not pass, and every question says why its answer is right.
const lessonDirs = readdirSync("courses", { recursive: true, encoding: "utf8" })
  .filter((file) => path.basename(file) === "quiz.yaml")
  .map((file) => path.join("courses", file));

const quizzes = lessonDirs.map((file) => ({ file, quiz: QuizSchema.parse(parse(readFileSync(file, "utf8"))) }));

describe("demo course quizzes", () => {
  it("are all read", () => expect(quizzes.length).toBeGreaterThanOrEqual(17));

  it("give every question an explanation", () => {
    for (const { file, quiz } of quizzes) {
      for (const q of quiz.questions) expect(q.explanation?.length, `${file} ${q.id}`).toBeGreaterThan(20);
    }
  });

  it("spread the right answers over the options", () => {
    const positions: number[] = [];
    for (const { file, quiz } of quizzes) {
      const firstIsRight = quiz.questions.filter((q) => q.options[0]!.correct).length;
      expect(firstIsRight, file).toBeLessThan(quiz.questions.length);
      for (const q of quiz.questions) if (q.kind === "single") positions.push(q.options.findIndex((o) => o.correct));
      // A multiple-choice question whose every option is right teaches nothing.
      for (const q of quiz.questions)
        expect(
          q.options.some((o) => !o.correct),
          `${file} ${q.id}`,
        ).toBe(true);
    }
    const firstShare = positions.filter((p) => p === 0).length / positions.length;
    expect(firstShare).toBeLessThan(0.4);
    expect(new Set(positions).size).toBeGreaterThanOrEqual(3);
  });
});
