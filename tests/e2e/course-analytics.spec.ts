import { randomUUID } from "node:crypto";
import AxeBuilder from "@axe-core/playwright";
import { expect, test, type Page } from "./fixtures";
import { blockOutsideRequests } from "./helpers";

// A trainer opens their course's figures from the editor: enrolments,
// completions, the completion rate, the watched share per lesson as a chart
// with a table, and each question's share of right answers. Another trainer
// is refused. The numbers are those of the rows written here.

type Db = (typeof import("~/utils/db.server"))["db"];

const QUIZ = {
  passMark: 50,
  questions: [
    {
      id: "q1",
      kind: "single",
      prompt: "Câu hỏi một?",
      options: [
        { id: "a", text: "Đúng", correct: true },
        { id: "b", text: "Sai" },
      ],
    },
    {
      id: "q2",
      kind: "multiple",
      prompt: "Câu hỏi hai?",
      options: [
        { id: "a", text: "A", correct: true },
        { id: "b", text: "B", correct: true },
        { id: "c", text: "C" },
      ],
    },
  ],
};

/** The same three learners as app/teach/analytics.server.test.ts, in the demo trainer's new course. */
async function courseWithLearners(db: Db) {
  const trainer = await db.user.findUniqueOrThrow({ where: { email: "giangvien@taphuan.vn" }, select: { id: true } });
  const convention = await db.convention.findUniqueOrThrow({ where: { code: "CAT" }, select: { id: true } });
  const course = await db.course.create({
    data: {
      code: `e2e-figures-${randomUUID().slice(0, 8)}`,
      conventionId: convention.id,
      language: "vi",
      title: "Khóa học có số liệu",
      summary: "Kiểm thử số liệu khóa học.",
      status: "PUBLISHED",
      publishedAt: new Date(),
      owners: { create: { userId: trainer.id } },
      lessons: {
        create: [
          {
            slug: "bai-1",
            position: 0,
            title: "Bài đầu",
            language: "vi",
            durationSeconds: 200,
            quiz: JSON.stringify(QUIZ),
            passMark: 50,
          },
          { slug: "bai-2", position: 1, title: "Bài sau", language: "vi", durationSeconds: 100 },
        ],
      },
    },
    include: { lessons: { orderBy: { position: "asc" } } },
  });
  const [one, two] = course.lessons;
  const learner = () =>
    db.user.create({
      data: { email: `e2e-${randomUUID().slice(0, 8)}@example.vn`, name: "Học viên", passwordHash: "!" },
    });
  const [a, b, c] = [await learner(), await learner(), await learner()];
  for (const user of [a, b, c]) await db.enrolment.create({ data: { userId: user.id, courseId: course.id } });
  const watched = (userId: string, lessonId: string, intervals: number[][], completed = false) =>
    db.lessonProgress.create({
      data: {
        userId,
        lessonId,
        watchedIntervals: JSON.stringify(intervals),
        completedAt: completed ? new Date() : null,
      },
    });
  await watched(a.id, one!.id, [[0, 200]], true);
  await watched(a.id, two!.id, [[0, 100]], true);
  await watched(b.id, one!.id, [
    [0, 50],
    [100, 150],
  ]);
  await watched(c.id, one!.id, [
    [0, 30],
    [190, 200],
  ]);
  await db.courseCompletion.create({
    data: { userId: a.id, courseId: course.id, certificateCode: `E2E-${randomUUID().slice(0, 8)}` },
  });
  const attempt = (userId: string, answers: Record<string, string[]>) =>
    db.quizAttempt.create({
      data: { userId, lessonId: one!.id, answers: JSON.stringify(answers), scorePercent: 0, passed: false },
    });
  await attempt(a.id, { q1: ["b"], q2: ["a", "b"] });
  await attempt(a.id, { q1: ["a"], q2: ["a", "b"] });
  await attempt(b.id, { q1: ["a"], q2: ["a"] });
  await attempt(c.id, { q1: ["a"] });
  return course.id;
}

async function axeViolations(page: Page) {
  const results = await new AxeBuilder({ page })
    .include("main")
    .withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"])
    .analyze();
  return results.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`);
}

test.beforeEach(async ({ page }) => {
  await blockOutsideRequests(page);
});

test("a trainer reads their course's figures, as charts and as tables, on a phone too", async ({
  page,
  login,
  app,
}) => {
  const courseId = await courseWithLearners(app.db);
  await login("giangvien@taphuan.vn");
  await page.goto(`/teach/courses/${courseId}`);
  await page.getByRole("link", { name: "Số liệu khóa học" }).click();
  await expect(page).toHaveURL(`/teach/courses/${courseId}/analytics`);
  await expect(page.getByRole("heading", { level: 1, name: "Số liệu khóa học" })).toBeVisible();

  // 3 enrolled, 1 completed: 33%.
  await expect(page.getByTestId("enrolments")).toHaveText("3");
  await expect(page.getByTestId("completions")).toHaveText("1");
  await expect(page.getByTestId("completion-rate")).toHaveText("33%");

  // The watched share per lesson: a bar per lesson, and the table beside it.
  const watched = page.getByRole("figure", { name: "Tỷ lệ video đã xem trung bình, theo bài" });
  await expect(watched.locator(".chart-box .recharts-bar-rectangle")).toHaveCount(2);
  await watched.getByRole("button", { name: "Hiện bảng số liệu" }).click();
  const lessons = watched.getByRole("table");
  await expect(lessons).toBeVisible();
  // Lesson 1: (1 + 0.5 + 0.2) / 3 = 57%; lesson 2: 1 / 3 = 33%.
  await expect(lessons.getByRole("row", { name: /Bài 1: Bài đầu/ })).toHaveText(/Bài 1: Bài đầu\s*3\s*1\s*57%/);
  await expect(lessons.getByRole("row", { name: /Bài 2: Bài sau/ })).toHaveText(/Bài 2: Bài sau\s*1\s*1\s*33%/);

  // Each question's share of right answers: q1 3 of 4, q2 2 of 3.
  const questions = page.getByRole("figure", { name: "Tỷ lệ trả lời đúng, theo câu hỏi" });
  await expect(questions.locator(".chart-box .recharts-bar-rectangle")).toHaveCount(2);
  await questions.getByRole("button", { name: "Hiện bảng số liệu" }).click();
  await expect(questions.getByRole("row", { name: /Câu hỏi một/ })).toHaveText(/4\s*3\s*75%/);
  await expect(questions.getByRole("row", { name: /Câu hỏi hai/ })).toHaveText(/3\s*2\s*67%/);

  expect(await axeViolations(page)).toEqual([]);

  await page.setViewportSize({ width: 390, height: 844 });
  await page.reload();
  await expect(page.getByTestId("completion-rate")).toHaveText("33%");
  await expect(page.locator(".chart-box .recharts-bar-rectangle")).toHaveCount(4);
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
  await page.screenshot({ path: "test-results/course-analytics-phone.png", fullPage: true });
  expect(await axeViolations(page)).toEqual([]);

  // In English.
  await page.goto(`/teach/courses/${courseId}/analytics?lng=en`);
  await expect(page.getByRole("heading", { level: 1, name: "Course figures" })).toBeVisible();
  await expect(page.getByRole("figure", { name: "Average share of the video watched, by lesson" })).toBeVisible();
});

test("another trainer is refused", async ({ page, login, app }) => {
  const courseId = await courseWithLearners(app.db);
  const other = await app.db.user.create({
    data: {
      email: `e2e-trainer-${randomUUID().slice(0, 8)}@example.vn`,
      name: "Giảng viên khác",
      passwordHash: "!",
      role: "TRAINER",
    },
  });
  await login(other.email);
  const response = await page.goto(`/teach/courses/${courseId}/analytics`);
  expect(response?.status()).toBe(403);
  await expect(page.getByText("Khóa học có số liệu")).toHaveCount(0);
});
