// The lesson page's knowledge check as Remix calls it, with a real session:
// what the loader sends, and what the action grades, refuses and records.
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { beforeEach, describe, expect, it } from "vitest";
import { createSession, generateSessionToken, SESSION_COOKIE } from "~/auth/session.server";
import type { Quiz } from "~/learning/quiz";
import * as lessonRoute from "~/routes/courses.$courseCode.$lessonSlug";
import { db } from "~/utils/db.server";
import { createPublishedCourse, createLearner, createEnrolment } from "../helpers/fixtures";

const BANK: Quiz = {
  passMark: 100,
  attemptsPerRound: 3,
  cooldownMinutes: 10,
  questionsPerAttempt: 2,
  questions: ["q1", "q2", "q3"].map((id, i) => ({
    id,
    kind: "single" as const,
    prompt: `Câu hỏi ${i + 1}`,
    explanation: `Giải thích ${i + 1}`,
    options: [
      { id: "a", text: `Sai ${i + 1}`, correct: false },
      { id: "b", text: `Đúng ${i + 1}`, correct: true },
      { id: "c", text: `Cũng sai ${i + 1}`, correct: false },
    ],
  })),
};

// Signed in and enrolled: the learner's page, never the visitor's preview.
type Loaded = NonNullable<Extract<Awaited<ReturnType<typeof lessonRoute.loader>>, { visitor: false }>["learner"]>;
type Acted = Awaited<ReturnType<typeof lessonRoute.action>>;

let cookie = "";
let userId = "";
let lessonId = "";
let params: Record<string, string> = {};

beforeEach(async () => {
  const course = await createPublishedCourse({ durations: [200], quizOn: [0] });
  const lesson = course.lessons[0]!;
  await db.lesson.update({ where: { id: lesson.id }, data: { quiz: JSON.stringify(BANK), passMark: BANK.passMark } });
  const learner = await createLearner();
  await createEnrolment(learner.id, course.id);
  const token = generateSessionToken();
  await createSession(token, learner.id);
  cookie = `${SESSION_COOKIE}=${token}`;
  userId = learner.id;
  lessonId = lesson.id;
  params = { courseCode: course.code, lessonSlug: lesson.slug };
});

function request(init: RequestInit = {}) {
  return new Request(`http://localhost/courses/${params.courseCode}/${params.lessonSlug}`, {
    ...init,
    headers: { Cookie: cookie },
  });
}

async function load(): Promise<Loaded> {
  const page = await lessonRoute.loader({ request: request(), params, context: {} } as LoaderFunctionArgs);
  if (page.visitor || !page.learner) throw new Error("a signed-in learner got the visitor's page");
  return page.learner;
}

async function submit(answers: Record<string, string>): Promise<Acted> {
  const body = new URLSearchParams({ lessonId });
  for (const [question, option] of Object.entries(answers)) body.append(`answer.${question}`, option);
  return lessonRoute.action({ request: request({ method: "POST", body }), params, context: {} } as ActionFunctionArgs);
}

/** Answers every question the page shows, right or wrong. */
async function answerShown(right: boolean) {
  const view = await load();
  if (view.quiz?.state !== "open") throw new Error(`quiz is ${view.quiz?.state}`);
  return submit(Object.fromEntries(view.quiz.questions.map((q) => [q.id, right ? "b" : "a"])));
}

const recorded = async () => ({
  attempts: await db.quizAttempt.count({ where: { userId, lessonId } }),
  draws: await db.quizDraw.findMany({ where: { userId, lessonId }, select: { draw: true, createdAt: true } }),
});

describe("the lesson page's knowledge check", () => {
  it("sends only the drawn questions, shuffled, with no answers", async () => {
    const view = await load();
    expect(view.quiz).toMatchObject({ state: "open", attemptsLeft: 3, passMark: 100 });
    const json = JSON.stringify(view);
    expect(json).not.toContain("correct");
    expect(json).not.toContain("Giải thích");
    if (view.quiz?.state !== "open") throw new Error("not open");
    expect(view.quiz.questions).toHaveLength(2);
    // The stored draw is what the page shows, options in the same order.
    const [stored] = (await recorded()).draws;
    expect(JSON.parse(stored!.draw)).toEqual(
      view.quiz.questions.map((q) => ({ questionId: q.id, optionIds: q.options.map((o) => o.id) })),
    );
    // Reloading shows the same draw: a learner cannot reroll for easier questions.
    expect((await load()).quiz).toEqual(view.quiz);
  });

  it("tells only the score until the round is used up, then refuses a 4th attempt in the cooldown and records nothing", async () => {
    const first = await answerShown(false);
    expect(first).toEqual({
      status: "ok",
      data: { outcome: "failed", scorePercent: 0, attemptsLeft: 2, retryAt: null },
    });
    await answerShown(false);
    const third = await answerShown(false);
    expect(third).toMatchObject({ status: "ok", data: { outcome: "exhausted", scorePercent: 0 } });

    // In the cooldown the page shows the review, not a new draw.
    const view = await load();
    expect(view.quiz?.state).toBe("cooldown");
    if (view.quiz?.state !== "cooldown") throw new Error("not in cooldown");
    expect(view.quiz.review.map((r) => r.right)).toEqual([false, false]);
    expect(view.quiz.review[0]).toMatchObject({
      correctOptions: [expect.stringMatching(/^Đúng/)],
      explanation: expect.stringMatching(/^Giải thích/),
    });

    const before = await recorded();
    const fourth = await submit({ q1: "b", q2: "b", q3: "b" });
    expect(fourth).toMatchObject({ status: "invalid", formError: { key: "quiz.cooldown" } });
    expect(
      new Date(String(fourth.status === "invalid" && fourth.formError?.values?.retryAt)).getTime(),
    ).toBeGreaterThan(Date.now() + 9 * 60_000);
    expect(await recorded()).toEqual(before);
    expect(before.attempts).toBe(3);
  });

  it("opens a new round once the cooldown is over", async () => {
    for (let i = 0; i < 3; i++) await answerShown(false);
    expect((await load()).quiz?.state).toBe("cooldown");
    // Eleven minutes pass on the server's clock.
    const attempts = await db.quizAttempt.findMany({ where: { userId, lessonId } });
    for (const a of attempts)
      await db.quizAttempt.update({
        where: { id: a.id },
        data: { createdAt: new Date(a.createdAt.getTime() - 11 * 60_000) },
      });

    expect((await load()).quiz).toMatchObject({ state: "open", attemptsLeft: 3 });
    const passed = await answerShown(true);
    expect(passed).toMatchObject({ status: "ok", data: { outcome: "passed", scorePercent: 100 } });
    const after = await load();
    expect(after.quiz).toMatchObject({ state: "passed", scorePercent: 100 });
    if (after.quiz?.state !== "passed") throw new Error("not passed");
    expect(after.quiz.review.every((r) => r.right && r.explanation)).toBe(true);
    expect(await submit({ q1: "b", q2: "b" })).toMatchObject({
      status: "invalid",
      formError: { key: "quiz.already_passed" },
    });
    expect((await recorded()).attempts).toBe(4);
  });

  it("refuses answers to a question outside the draw, and an attempt without a draw", async () => {
    const view = await load();
    if (view.quiz?.state !== "open") throw new Error("not open");
    const shown = view.quiz.questions.map((q) => q.id);
    const outside = BANK.questions.find((q) => !shown.includes(q.id))!.id;
    const before = await recorded();
    const answers = { ...Object.fromEntries(shown.map((id) => [id, "b"])), [outside]: "b" };
    expect(await submit(answers)).toMatchObject({ status: "invalid", formError: { key: "quiz.outside_draw" } });
    expect(await submit({ [shown[0]!]: "b", [outside]: "b" })).toMatchObject({
      status: "invalid",
      formError: { key: "quiz.outside_draw" },
    });
    expect(await submit({ [shown[0]!]: "b" })).toMatchObject({
      status: "invalid",
      formError: { key: "quiz.unanswered" },
    });
    expect(await recorded()).toEqual(before);

    // The draw is consumed by its attempt: submitting the same page twice counts once.
    const good = Object.fromEntries(shown.map((id) => [id, "a"]));
    expect(await submit(good)).toMatchObject({ status: "ok", data: { outcome: "failed" } });
    expect(await submit(good)).toMatchObject({ status: "invalid", formError: { key: "quiz.no_draw" } });
    expect((await recorded()).attempts).toBe(1);
  });

  it("gives pages loaded at the same moment one draw, the one their answers are graded against", async () => {
    // Two loads at once (a revalidation and a reload, two tabs) once made two
    // draws: the last write won, and the page showing the first was graded
    // against the second ("answer every question").
    for (let round = 0; round < 10; round++) {
      await db.quizDraw.deleteMany({ where: { userId, lessonId } });
      const views = await Promise.all(Array.from({ length: 4 }, () => load()));
      const shown = views.map((view) =>
        view.quiz?.state === "open" ? view.quiz.questions.map((q) => q.id).join() : "none",
      );
      expect(new Set(shown).size, shown.join(" | ")).toBe(1);
      expect(await db.quizDraw.count({ where: { userId, lessonId } })).toBe(1);
    }
  });

  it("stores the draw with the attempt", async () => {
    const view = await load();
    if (view.quiz?.state !== "open") throw new Error("not open");
    await answerShown(false);
    const attempt = await db.quizAttempt.findFirstOrThrow({ where: { userId, lessonId } });
    expect(JSON.parse(attempt.draw!).map((d: { questionId: string }) => d.questionId)).toEqual(
      view.quiz.questions.map((q) => q.id),
    );
  });
});
