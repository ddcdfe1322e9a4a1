import { readFileSync } from "node:fs";
import type { Response } from "@playwright/test";
import { expect, test, type Page } from "./fixtures";
import { parse } from "yaml";
import { REQUIRED_WATCH_PERCENT } from "~/learning/completion";
import { QuizSchema } from "~/learning/quiz";
import { blockOutsideRequests, openSignupLink, passQuiz } from "./helpers";

const COURSE = "iccpr-intro";
const LESSON_DIR = `courses/iccpr/${COURSE}/lessons/01-cong-uoc-bao-ve-gi`;

test.beforeEach(async ({ page }) => {
  await blockOutsideRequests(page);
});

async function answerQuiz(page: Page) {
  const quiz = QuizSchema.parse(parse(readFileSync(`${LESSON_DIR}/quiz.yaml`, "utf8")));
  const result = await passQuiz(page, quiz);
  await expect(result).toBeFocused();
  // Once passed, each question's explanation is shown and the form is gone.
  await expect(page.locator("section.quiz-review")).toContainText(quiz.questions[0]!.explanation!);
  await expect(page.locator("section.quiz form")).toHaveCount(0);
}

test("a visitor browses, signs up, enrols, completes a lesson and sees it in My learning", async ({ page }) => {
  test.setTimeout(240_000); // the lesson is watched for real, at 2×: about two minutes
  await page.goto("/");
  await expect(page.getByRole("heading", { level: 1, name: "Khóa học về quyền con người" })).toBeVisible();
  for (const code of ["ICCPR", "ICESCR", "CEDAW", "ICERD", "CRC", "CRPD", "CAT"]) {
    await expect(page.locator(`section#${code.toLowerCase()}`)).toBeVisible();
  }
  const iccpr = page.locator("section#iccpr");
  await expect(
    iccpr.getByRole("heading", { level: 2, name: "Công ước quốc tế về các quyền dân sự và chính trị" }),
  ).toBeVisible();
  await expect(iccpr).toContainText("1982 (gia nhập)");
  await expect(iccpr).toContainText("Bộ Tư pháp");

  await iccpr.getByRole("link", { name: /Nhập môn/ }).click();
  await expect(page).toHaveURL(`/courses/${COURSE}`);
  await expect(page.locator("ol.lesson-list li").first()).toContainText(/\d:\d\d/);

  await page.getByRole("link", { name: "Đăng ký để học" }).click();
  const email = `e2e-${Date.now()}@example.vn`;
  await page.getByLabel("Họ và tên").fill("Học viên E2E");
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Mật khẩu", { exact: true }).fill("mat-khau-e2e-123");
  await page.getByLabel("Nhập lại mật khẩu").fill("mat-khau-e2e-123");
  await page.getByRole("button", { name: "Đăng ký" }).click();
  // The same answer for a new and a taken address; the emailed link signs in.
  await expect(page.getByRole("heading", { name: "Kiểm tra email của anh/chị" })).toBeVisible();
  await openSignupLink(page, email);
  await expect(page).toHaveURL(`/courses/${COURSE}`);

  await page.getByRole("button", { name: "Ghi danh khóa học" }).click();
  await expect(page).toHaveURL(new RegExp(`/courses/${COURSE}/01-`));

  // Captions are on the video, slides beside it, the transcript below.
  const player = page.locator("mux-player");
  await expect(player).toBeVisible();
  await expect(page.getByRole("group", { name: /Slide 1\/\d+/ })).toBeVisible();
  await expect(page.getByRole("heading", { name: "Lời bình" })).toBeVisible();
  await expect.poll(() => player.evaluate((el: HTMLMediaElement) => el.textTracks?.length ?? 0)).toBeGreaterThan(0);

  // Slides can be paged by keyboard.
  const deck = page.getByRole("group", { name: /Slide 1\// });
  await deck.focus();
  await page.keyboard.press("ArrowRight");
  await expect(page.getByRole("group", { name: /Slide 2\// })).toBeVisible();

  await answerQuiz(page);
  await expect(page.getByTestId("lesson-complete")).toHaveCount(0); // the video is not watched yet

  // Skipping to the end does not complete the lesson: the player reports the
  // last seconds when the video ends, and the server's answer says not done.
  const answered: { position: number; completed: unknown }[] = [];
  const onProgressAnswer = async (response: Response) => {
    if (!response.url().endsWith("/api/progress") || !response.ok()) return;
    const sent = JSON.parse(response.request().postData() ?? "{}") as { position?: number };
    // A report sent as the page is left has no body to read once it is gone.
    const body = (await response.json().catch(() => null)) as { completed?: unknown } | null;
    if (body) answered.push({ position: sent.position ?? 0, completed: body.completed });
  };
  page.on("response", onProgressAnswer);
  const duration = await player.evaluate((el: HTMLMediaElement) => {
    el.muted = true;
    el.currentTime = el.duration - 2;
    void el.play();
    return el.duration;
  });
  await expect.poll(() => player.evaluate((el: HTMLMediaElement) => el.ended), { timeout: 30_000 }).toBe(true);
  await expect.poll(() => answered.filter((a) => a.position >= duration - 0.5), { timeout: 30_000 }).not.toEqual([]);
  expect(answered.map((a) => a.completed)).not.toContain(true);
  page.off("response", onProgressAnswer);
  await expect(page.getByTestId("lesson-complete")).toHaveCount(0);

  // Watching it (muted) does; slides follow the video. A rate faster than the
  // player offers is taken back to 2×, the fastest the server believes.
  await player.evaluate((el: HTMLMediaElement) => {
    el.pause();
    el.currentTime = 0;
    el.muted = true;
    el.playbackRate = 8;
    void el.play();
  });
  await expect.poll(() => player.evaluate((el: HTMLMediaElement) => el.playbackRate)).toBe(2);
  await page.getByRole("button", { name: "Theo video", pressed: false }).click();
  await expect(page.getByRole("group", { name: /Slide 3\// })).toBeVisible({ timeout: 90_000 });
  await expect(page.getByTestId("lesson-complete")).toBeVisible({ timeout: 150_000 });

  await page.getByRole("link", { name: "Việc học của tôi" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Việc học của tôi" })).toBeVisible();
  const row = page.locator("table tbody tr").first();
  await expect(row.locator("td").nth(3)).not.toHaveText("—");
  await expect(page.getByRole("link", { name: "Học tiếp" })).toHaveAttribute(
    "href",
    new RegExp(`/courses/${COURSE}/02-`),
  );

  await page.goto(`/courses/${COURSE}`);
  await expect(page.locator("ol.lesson-list li").first()).toContainText("Đã hoàn thành");

  // Playback resumes where the learner left off.
  await page.goto(
    `/courses/${COURSE}/${(await page.locator("ol.lesson-list li a").nth(1).getAttribute("href"))!.split("/").pop()}`,
  );
  const second = page.locator("mux-player");
  await expect(second).toBeVisible();
  await second.evaluate((el: HTMLMediaElement) => {
    el.muted = true;
    el.playbackRate = 2;
    void el.play();
  });
  await expect
    .poll(() => second.evaluate((el: HTMLMediaElement) => el.currentTime), { timeout: 30_000 })
    .toBeGreaterThan(30);
  await second.evaluate((el: HTMLMediaElement) => el.pause()); // a pause reports at once
  // The page states the same threshold the completion rule applies.
  await expect(page.getByText(new RegExp(`Đã xem [1-9]\\d*% \\(cần ${REQUIRED_WATCH_PERCENT}%\\)`))).toBeVisible();
  await page.reload();
  await expect
    .poll(() => page.locator("mux-player").evaluate((el: HTMLMediaElement) => el.currentTime), { timeout: 30_000 })
    .toBeGreaterThan(25);
});

test("the interface switches to English and back, and the choice persists", async ({ page }) => {
  await page.goto("/");
  await expect(page.locator("html")).toHaveAttribute("lang", "vi");
  await page.getByRole("button", { name: "English" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Courses on human rights" })).toBeVisible();
  await expect(page.locator("html")).toHaveAttribute("lang", "en");
  await page.reload();
  await expect(page.getByRole("heading", { level: 1, name: "Courses on human rights" })).toBeVisible();
  await expect(page.locator("section#iccpr")).toContainText("Ministry of Justice");
  await page.getByRole("button", { name: "Tiếng Việt" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Khóa học về quyền con người" })).toBeVisible();
});

test("a wrong password gets one message that does not say whether the email exists", async ({ page }) => {
  await page.goto("/login");
  await page.getByLabel("Email").fill("hocvien@taphuan.vn");
  await page.getByLabel("Mật khẩu").fill("not-the-password");
  await page.getByRole("button", { name: "Đăng nhập" }).click();
  await expect(page.getByRole("alert")).toHaveText("Email hoặc mật khẩu không đúng.");

  await page.getByLabel("Email").fill("nobody-here@taphuan.vn");
  await page.getByLabel("Mật khẩu").fill("not-the-password");
  await page.getByRole("button", { name: "Đăng nhập" }).click();
  await expect(page.getByRole("alert")).toHaveText("Email hoặc mật khẩu không đúng.");

  await page.getByLabel("Mật khẩu").fill("taphuan-demo-2026");
  await page.getByLabel("Email").fill("hocvien@taphuan.vn");
  await page.getByRole("button", { name: "Đăng nhập" }).click();
  await expect(page).toHaveURL("/my-learning");
});

test("unknown courses and lessons are translated 404 pages", async ({ page }) => {
  const response = await page.goto("/courses/khong-ton-tai");
  expect(response?.status()).toBe(404);
  await expect(page.getByRole("heading", { name: "Không tìm thấy trang" })).toBeVisible();
  expect((await page.goto("/courses/iccpr-intro/khong-co-bai-nay"))?.status()).toBe(404);
  expect((await page.goto("/some/where/else"))?.status()).toBe(404);
});

test("a knowledge check tells only the score until the round is used up, then shows what was wrong and when to return", async ({
  page,
}) => {
  await page.goto("/signup");
  await page.getByLabel("Họ và tên").fill("Thử Ba Lần");
  const email = `quiz-${Date.now()}@example.vn`;
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Mật khẩu", { exact: true }).fill("mat-khau-e2e-123");
  await page.getByLabel("Nhập lại mật khẩu").fill("mat-khau-e2e-123");
  await page.getByRole("button", { name: "Đăng ký" }).click();
  await openSignupLink(page, email);
  await expect(page.getByRole("button", { name: "Đăng xuất" })).toBeVisible();
  await page.goto(`/courses/${COURSE}`);
  await page.getByRole("button", { name: "Ghi danh khóa học" }).click();
  await expect(page).toHaveURL(new RegExp(`/courses/${COURSE}/01-`));

  const quiz = QuizSchema.parse(parse(readFileSync(`${LESSON_DIR}/quiz.yaml`, "utf8")));
  for (let attempt = 1; attempt <= 3; attempt++) {
    const form = page.locator("section.quiz form");
    // Each attempt is a new draw: the form is replaced after a submission, so
    // answer it again until every answer is seen checked in the current form.
    await expect(async () => {
      for (const question of quiz.questions) {
        const wrong = question.options.find((o) => !o.correct)!;
        await form
          .locator("fieldset", { hasText: question.prompt })
          .getByLabel(wrong.text, { exact: true })
          .check({ timeout: 2_000 });
      }
      await expect(form.locator("input:checked")).toHaveCount(quiz.questions.length, { timeout: 500 });
    }).toPass({ timeout: 15_000 });
    await form.getByRole("button", { name: "Nộp bài" }).click();
    const result = page.locator("section.quiz").getByRole("status");
    if (attempt < 3) {
      await expect(result).toContainText(`Bạn còn ${3 - attempt} lần làm bài`);
      // Nothing says which answers were wrong yet.
      await expect(page.locator("section.quiz-review")).toHaveCount(0);
    } else {
      await expect(result).toContainText("Bạn đã dùng hết số lần làm bài");
      await expect(result).toBeFocused();
    }
  }
  const review = page.locator("section.quiz-review");
  await expect(review.getByText("Sai", { exact: true })).toHaveCount(quiz.questions.length);
  await expect(review).toContainText(quiz.questions[1]!.explanation!);
  await expect(page.locator("section.quiz form")).toHaveCount(0);
  // A reload in the cooldown still shows no form, and when to come back.
  await page.reload();
  await expect(page.locator("section.quiz")).toContainText("Có thể làm lại từ");
  await expect(page.locator("section.quiz form")).toHaveCount(0);
});

test("the progress endpoint refuses bad input, says why, and records nothing", async ({
  page,
  request,
  login,
  app,
}) => {
  const anonymous = await request.post("/api/progress", { data: { lessonId: "x", intervals: [], position: 0 } });
  expect([anonymous.status(), await anonymous.json()]).toEqual([401, { ok: false, error: "unauthorized" }]);

  const learner = await login();
  const lesson = await app.db.lesson.findFirstOrThrow({
    where: { course: { code: COURSE }, position: 0 },
    select: { id: true, courseId: true, durationSeconds: true },
  });
  const elsewhere = await app.db.lesson.findFirstOrThrow({
    where: { course: { code: { not: COURSE }, status: "PUBLISHED" }, durationSeconds: { not: null } },
    select: { id: true },
  });
  await app.db.enrolment.create({ data: { userId: learner.id, courseId: lesson.courseId } });
  const view = await page.request.post("/api/views", { data: { lessonId: lesson.id } });
  const { viewId } = (await view.json()) as { viewId: string };
  expect(viewId).toBeTruthy();
  const report = { viewId, lessonId: lesson.id, intervals: [[0, 5]], position: 5 };
  const post = async (data: string, contentType = "application/json") => {
    // Bytes, so the request client sends the text as it is (a string would be JSON-encoded).
    const response = await page.request.post("/api/progress", {
      headers: { "Content-Type": contentType },
      data: Buffer.from(data),
    });
    return [response.status(), await response.json()];
  };

  expect(await post(JSON.stringify(report), "text/plain")).toEqual([
    415,
    { ok: false, error: "expected application/json" },
  ]);
  expect(await post(`{"viewId": "${viewId}",`)).toEqual([400, { ok: false, error: "malformed JSON" }]);
  expect(await post(JSON.stringify({ ...report, position: -1 }))).toEqual([
    400,
    { ok: false, error: "invalid body", issues: [expect.stringMatching(/^position: /)] },
  ]);
  expect(await post(JSON.stringify({ ...report, credit: 300 }))).toEqual([
    400,
    { ok: false, error: "invalid body", issues: [expect.stringMatching(/credit/)] },
  ]);
  expect(await post(JSON.stringify({ ...report, intervals: [[0, lesson.durationSeconds! + 60]] }))).toEqual([
    422,
    { ok: false, status: 422, error: "invalid_intervals" },
  ]);
  expect(await post(JSON.stringify({ ...report, viewId: "not-a-view" }))).toEqual([
    422,
    { ok: false, status: 422, error: "unknown_view" },
  ]);
  expect(await post(JSON.stringify({ ...report, lessonId: elsewhere.id }))).toEqual([
    403,
    { ok: false, status: 403, error: "not_enrolled" },
  ]);
  expect(await post(JSON.stringify({ ...report, lessonId: "no-such-lesson" }))).toEqual([
    404,
    { ok: false, status: 404, error: "unknown_lesson" },
  ]);
  expect(await post(JSON.stringify({ ...report, intervals: Array.from({ length: 2000 }, () => [0, 1]) }))).toEqual([
    413,
    { ok: false, error: "body too large" },
  ]);
  // Well formed, but more than the server's clock allows since the view began.
  expect(await post(JSON.stringify({ ...report, intervals: [[0, lesson.durationSeconds!]] }))).toEqual([
    422,
    { ok: false, status: 422, error: "too_fast", retryAfterSeconds: expect.any(Number) },
  ]);

  expect(await app.db.lessonProgress.count({ where: { userId: learner.id } })).toBe(0);
  expect(await app.db.courseCompletion.count({ where: { userId: learner.id } })).toBe(0);
});

test("a learner changes the password and signs in with the new one", async ({ page }) => {
  const email = `pw-${Date.now()}@example.vn`;
  await page.goto("/signup");
  await page.getByLabel("Họ và tên").fill("Đổi Mật Khẩu");
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Mật khẩu", { exact: true }).fill("mat-khau-cu-123");
  await page.getByLabel("Nhập lại mật khẩu").fill("mat-khau-cu-123");
  await page.getByRole("button", { name: "Đăng ký" }).click();
  await openSignupLink(page, email);
  await page.getByRole("link", { name: "Đổi Mật Khẩu" }).click();
  await page.getByLabel("Mật khẩu hiện tại").fill("sai-mat-khau-1");
  await page.getByLabel("Mật khẩu mới").fill("mat-khau-moi-456");
  await page.getByLabel("Nhập lại mật khẩu").fill("mat-khau-moi-456");
  await page.getByRole("button", { name: "Đổi mật khẩu" }).click();
  await expect(page.getByText("Mật khẩu hiện tại không đúng.")).toBeVisible();
  await page.getByLabel("Mật khẩu hiện tại").fill("mat-khau-cu-123");
  await page.getByLabel("Mật khẩu mới").fill("mat-khau-moi-456");
  await page.getByLabel("Nhập lại mật khẩu").fill("mat-khau-moi-456");
  await page.getByRole("button", { name: "Đổi mật khẩu" }).click();
  await expect(page.getByRole("status")).toContainText("Đã đổi mật khẩu");
  await page.getByRole("button", { name: "Đăng xuất" }).click();
  await page.goto("/login");
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Mật khẩu").fill("mat-khau-moi-456");
  await page.getByRole("button", { name: "Đăng nhập" }).click();
  await expect(page).toHaveURL("/my-learning");
});
