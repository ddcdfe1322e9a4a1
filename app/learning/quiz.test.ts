import { describe, expect, it } from "vitest";
import { SAMPLE_QUIZ } from "../../tests/helpers/fixtures";
import {
  attemptBudget,
  attemptFeedback,
  checkAnswers,
  drawnQuestions,
  drawQuiz,
  gradeQuiz,
  publicDraw,
  publicQuestions,
  QuizSchema,
  shuffled,
  type Quiz,
} from "./quiz";

/** A repeatable source of "randomness" for the draw tests. */
function seeded(seed: number) {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

const BANK: Quiz = {
  passMark: 60,
  questionsPerAttempt: 3,
  questions: Array.from({ length: 6 }, (_, i) => ({
    id: `q${i + 1}`,
    kind: "single" as const,
    prompt: `Câu ${i + 1}`,
    explanation: `Vì ${i + 1}`,
    options: [
      { id: "a", text: `A${i + 1}`, correct: i % 3 === 0 },
      { id: "b", text: `B${i + 1}`, correct: i % 3 === 1 },
      { id: "c", text: `C${i + 1}`, correct: i % 3 === 2 },
    ],
  })),
};

describe("gradeQuiz", () => {
  it("counts a question right only with exactly its correct options", () => {
    expect(gradeQuiz(SAMPLE_QUIZ, { q1: ["a"], q2: ["a", "b"] })).toEqual({
      scorePercent: 100,
      passed: true,
      correctQuestionIds: ["q1", "q2"],
    });
    expect(gradeQuiz(SAMPLE_QUIZ, { q1: ["a"], q2: ["a"] }).correctQuestionIds).toEqual(["q1"]);
    expect(gradeQuiz(SAMPLE_QUIZ, { q1: ["a"], q2: ["a", "b", "c"] }).correctQuestionIds).toEqual(["q1"]);
    expect(gradeQuiz(SAMPLE_QUIZ, {}).scorePercent).toBe(0);
  });
  it("passes at the pass mark, not below", () => {
    const quiz = { ...SAMPLE_QUIZ, passMark: 60 };
    expect(gradeQuiz(quiz, { q1: ["a"] })).toMatchObject({ scorePercent: 50, passed: false });
    expect(gradeQuiz({ ...SAMPLE_QUIZ, passMark: 50 }, { q1: ["a"] })).toMatchObject({
      scorePercent: 50,
      passed: true,
    });
  });
});

describe("what the page is sent", () => {
  /** The bank with option `optionId` the right one of every question. */
  const answeredBy = (optionId: string): Quiz => ({
    ...BANK,
    questions: BANK.questions.map((q) => ({
      ...q,
      options: q.options.map((o) => ({ ...o, correct: o.id === optionId })),
    })),
  });
  const senders = {
    publicQuestions: (quiz: Quiz) => publicQuestions(quiz),
    publicDraw: (quiz: Quiz) => publicDraw(drawnQuestions(quiz, drawQuiz(quiz, seeded(3)))!),
  };

  // Not only no `correct` flag: nothing sent may depend on which options are
  // right, or a learner could read the answer off the page's data.
  it.each(Object.entries(senders))("%s is the same whichever options are right", (_, send) => {
    expect(send(answeredBy("a"))).toEqual(send(answeredBy("b")));
    expect(send(answeredBy("a"))).toEqual(send(answeredBy("c")));
  });

  it.each(Object.entries(senders))("%s holds only the question, its kind and the options' ids and texts", (_, send) => {
    const sent = send(BANK);
    expect(sent.length).toBeGreaterThan(0);
    for (const question of sent) {
      expect(Object.keys(question).sort()).toEqual(["id", "kind", "options", "prompt"]);
      for (const option of question.options) expect(Object.keys(option).sort()).toEqual(["id", "text"]);
    }
    const json = JSON.stringify(sent);
    for (const q of BANK.questions) expect(json).not.toContain(q.explanation);
  });
});

describe("drawQuiz", () => {
  it("shuffles without losing or repeating anything", () => {
    const items = [1, 2, 3, 4, 5, 6, 7, 8];
    const out = shuffled(items, seeded(7));
    expect([...out].sort()).toEqual(items);
    expect(items).toEqual([1, 2, 3, 4, 5, 6, 7, 8]); // the input is left alone
  });

  it("draws questionsPerAttempt questions, in the bank's order, every option once", () => {
    for (let seed = 1; seed <= 50; seed++) {
      const draw = drawQuiz(BANK, seeded(seed));
      expect(draw).toHaveLength(3);
      const positions = draw.map((d) => BANK.questions.findIndex((q) => q.id === d.questionId));
      expect(positions).toEqual([...positions].sort((a, b) => a - b));
      for (const item of draw) expect([...item.optionIds].sort()).toEqual(["a", "b", "c"]);
    }
  });

  it("varies the questions and the option order between draws", () => {
    const draws = Array.from({ length: 40 }, (_, seed) => drawQuiz(BANK, seeded(seed + 1)));
    expect(new Set(draws.map((d) => d.map((x) => x.questionId).join())).size).toBeGreaterThan(1);
    expect(new Set(draws.map((d) => d[0]!.optionIds.join())).size).toBeGreaterThan(1);
  });

  it("uses every question when questionsPerAttempt is not set", () => {
    expect(drawQuiz(SAMPLE_QUIZ, seeded(3)).map((d) => d.questionId)).toEqual(["q1", "q2"]);
  });

  it("maps a draw back to the quiz, options in the order shown, and grades by option id", () => {
    const draw = [{ questionId: "q2", optionIds: ["c", "a", "b"] }];
    const questions = drawnQuestions(SAMPLE_QUIZ, draw)!;
    expect(questions[0]!.options.map((o) => o.text)).toEqual(["Quyền có việc làm", "Quyền sống", "Tự do ngôn luận"]);
    expect(gradeQuiz({ passMark: 50, questions }, { q2: ["b", "a"] })).toMatchObject({
      scorePercent: 100,
      passed: true,
    });
    const shown = publicDraw(questions);
    expect(shown[0]!.options.map((o) => o.id)).toEqual(["c", "a", "b"]);
    expect(JSON.stringify(shown)).not.toMatch(/correct|explanation/);
  });

  it("refuses a draw the trainer's edits have overtaken", () => {
    expect(drawnQuestions(SAMPLE_QUIZ, [{ questionId: "gone", optionIds: ["a", "b"] }])).toBeNull();
    expect(drawnQuestions(SAMPLE_QUIZ, [{ questionId: "q2", optionIds: ["a", "b"] }])).toBeNull();
    expect(drawnQuestions(SAMPLE_QUIZ, [{ questionId: "q1", optionIds: ["a", "z"] }])).toBeNull();
  });
});

describe("checkAnswers", () => {
  const questions = drawnQuestions(BANK, [
    { questionId: "q1", optionIds: ["b", "a", "c"] },
    { questionId: "q4", optionIds: ["c", "b", "a"] },
  ])!;
  it("accepts an answer to every drawn question", () => {
    expect(checkAnswers(questions, { q1: ["a"], q4: ["b"] })).toBeNull();
  });
  it("refuses answers to questions outside the draw, unknown options, or two options for a single choice", () => {
    expect(checkAnswers(questions, { q1: ["a"], q4: ["b"], q2: ["a"] })).toBe("outside_draw");
    expect(checkAnswers(questions, { q1: ["z"], q4: ["b"] })).toBe("outside_draw");
    expect(checkAnswers(questions, { q1: ["a", "b"], q4: ["b"] })).toBe("outside_draw");
  });
  it("asks for every drawn question", () => {
    expect(checkAnswers(questions, { q1: ["a"] })).toBe("unanswered");
    expect(checkAnswers(questions, { q1: ["a"], q4: [] })).toBe("unanswered");
  });
});

describe("attemptBudget", () => {
  const limits = { attemptsPerRound: 3, cooldownMinutes: 10 };
  const t0 = new Date("2026-11-30T08:00:00Z");
  const at = (minutes: number) => new Date(t0.getTime() + minutes * 60_000);
  const failed = (minutes: number) => ({ createdAt: at(minutes), passed: false });

  it("opens a full round to a newcomer", () => {
    expect(attemptBudget([], limits, t0)).toEqual({ state: "open", attemptsLeft: 3 });
  });
  it("counts down the round, then holds the learner for the cooldown after the last attempt", () => {
    expect(attemptBudget([failed(0)], limits, at(1))).toEqual({ state: "open", attemptsLeft: 2 });
    const round = [failed(0), failed(1), failed(2)];
    expect(attemptBudget(round, limits, at(3))).toEqual({ state: "cooldown", retryAt: at(12) });
    expect(attemptBudget(round, limits, at(11.99))).toMatchObject({ state: "cooldown" });
  });
  it("opens a new round when the cooldown is over, and counts it afresh", () => {
    const round = [failed(0), failed(1), failed(2)];
    expect(attemptBudget(round, limits, at(12))).toEqual({ state: "open", attemptsLeft: 3 });
    expect(attemptBudget([...round, failed(20)], limits, at(21))).toEqual({ state: "open", attemptsLeft: 2 });
    expect(attemptBudget([...round, failed(20), failed(21), failed(22)], limits, at(23))).toEqual({
      state: "cooldown",
      retryAt: at(32),
    });
  });
  it("reads attempts in any order and honours the trainer's settings", () => {
    const round = [failed(2), failed(0)];
    expect(attemptBudget(round, { attemptsPerRound: 2, cooldownMinutes: 60 }, at(30))).toEqual({
      state: "cooldown",
      retryAt: at(62),
    });
  });
  it("stops once the learner has passed", () => {
    expect(attemptBudget([failed(0), { createdAt: at(1), passed: true }], limits, at(2))).toEqual({ state: "passed" });
  });
});

describe("attemptFeedback", () => {
  const questions = drawnQuestions(BANK, [
    { questionId: "q1", optionIds: ["a", "b", "c"] },
    { questionId: "q2", optionIds: ["a", "b", "c"] },
  ])!;
  const now = new Date("2026-11-30T08:00:00Z");
  const round = (attemptsLeftBefore: number) => ({ attemptsLeftBefore, cooldownMinutes: 10, now });

  it("says only the score while attempts are left", () => {
    const result = gradeQuiz({ passMark: 100, questions }, { q1: ["a"], q2: ["a"] });
    const feedback = attemptFeedback(questions, result, round(3));
    expect(feedback).toEqual({ outcome: "failed", scorePercent: 50, attemptsLeft: 2 });
    // Nothing that tells which question was right, nor the answers.
    expect(JSON.stringify(feedback)).not.toMatch(/q1|q2|right|correct|explanation|review|A1|B2/);
  });
  it("shows right and wrong with explanations once passed", () => {
    const result = gradeQuiz({ passMark: 50, questions }, { q1: ["a"], q2: ["a"] });
    expect(attemptFeedback(questions, result, round(3))).toEqual({
      outcome: "passed",
      scorePercent: 50,
      review: [
        { id: "q1", prompt: "Câu 1", right: true, correctOptions: ["A1"], explanation: "Vì 1" },
        { id: "q2", prompt: "Câu 2", right: false, correctOptions: ["B2"], explanation: "Vì 2" },
      ],
    });
  });
  it("shows the review and when to come back after the round's last attempt", () => {
    const result = gradeQuiz({ passMark: 100, questions }, { q1: ["b"], q2: ["b"] });
    const feedback = attemptFeedback(questions, result, round(1));
    expect(feedback).toMatchObject({
      outcome: "exhausted",
      scorePercent: 50,
      retryAt: new Date("2026-11-30T08:10:00Z"),
    });
    expect(feedback.outcome === "exhausted" && feedback.review.map((r) => r.right)).toEqual([false, true]);
  });
});

describe("QuizSchema", () => {
  it("accepts the sample", () => expect(QuizSchema.safeParse(SAMPLE_QUIZ).success).toBe(true));
  it("accepts explanations and attempt settings", () => expect(QuizSchema.safeParse(BANK).success).toBe(true));
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
  it("rejects drawing more questions than the bank holds, and zero attempts", () => {
    expect(QuizSchema.safeParse({ ...BANK, questionsPerAttempt: 7 }).success).toBe(false);
    expect(QuizSchema.safeParse({ ...BANK, attemptsPerRound: 0 }).success).toBe(false);
  });
});
