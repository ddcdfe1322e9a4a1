import { readFileSync } from "node:fs";
import path from "node:path";
import { expect, test, type Browser, type Page } from "./fixtures";
import { parse } from "yaml";
import { CourseFileSchema, LessonFileSchema } from "~/catalog/course-schema";
import { QuizSchema } from "~/learning/quiz";
import { blockOutsideRequests, passQuiz, signUp } from "./helpers";

// Issue 8, "training records people can trust": credit comes from video
// played in real time (2x at most), and an email typed into a sign-up form
// links nobody to the roster. Both tests watch a whole course, so they use the
// short fixture course the e2e server is seeded with (tests/fixtures/e2e-courses).

const COURSE_DIR = "tests/fixtures/e2e-courses/cat/e2e-khoa-ngan";
const COURSE = CourseFileSchema.parse(parse(readFileSync(`${COURSE_DIR}/course.yaml`, "utf8")));
const LESSONS = COURSE.lessons.map((slug) => {
  const dir = path.join(COURSE_DIR, "lessons", slug);
  const lesson = LessonFileSchema.parse(parse(readFileSync(path.join(dir, "lesson.yaml"), "utf8")));
  const quiz = lesson.quiz ? QuizSchema.parse(parse(readFileSync(path.join(dir, lesson.quiz), "utf8"))) : null;
  return { slug, title: lesson.title, quiz };
});

// The coverage group the roster person of the second test is in. Its rule is
// the default one (any training counts); coverage.spec changes HR_WORK's.
const GROUP = "Nhân sự tham gia công tác thông tin đối ngoại của các cơ quan báo chí";
const ROSTER_HEAD = "personnel_code,full_name,email,agency,province,target_groups,position,joined_on,left_on";

test.beforeEach(async ({ page }) => {
  await blockOutsideRequests(page);
});

async function newPage(browser: Browser): Promise<Page> {
  const page = await browser.newPage({ locale: "vi-VN" });
  await blockOutsideRequests(page);
  return page;
}

/** Plays the lesson's video to the end at 2x, chosen in Mux Player's playback-rate menu, in real time. */
async function watchAtDoubleSpeed(page: Page) {
  const player = page.locator("mux-player");
  await expect.poll(() => player.evaluate((el: HTMLMediaElement) => el.duration)).toBeGreaterThan(0);
  const duration = await player.evaluate((el: HTMLMediaElement) => el.duration);
  const started = Date.now();
  await player.getByRole("button", { name: "play" }).click();
  // The control bar shows once playing, while the pointer is over the player.
  await player.hover();
  await player.getByRole("button", { name: /^Playback rate/ }).click();
  await player.getByRole("menuitemradio", { name: "2x", exact: true }).click();
  await expect(player.getByRole("button", { name: "Playback rate 2" })).toBeAttached();
  expect(await player.evaluate((el: HTMLMediaElement) => el.playbackRate)).toBe(2);
  await expect.poll(() => player.evaluate((el: HTMLMediaElement) => el.ended), { timeout: 60_000 }).toBe(true);
  // Played, not skipped: the wall time is at least half the video's.
  expect(Date.now() - started).toBeGreaterThan((duration / 2 - 1) * 1000);
  // The end reports at once; the page shows what the server credited.
  await expect(page.getByText(/Đã xem (9\d|100)% \(cần 90%\)/)).toBeVisible();
}

/** Enrols the signed-in learner in the short course and completes every lesson through the lesson pages. */
async function completeCourse(page: Page) {
  await page.goto(`/courses/${COURSE.code}`);
  await page.getByRole("button", { name: "Ghi danh khóa học" }).click();
  for (const [index, lesson] of LESSONS.entries()) {
    await expect(page).toHaveURL(`/courses/${COURSE.code}/${lesson.slug}`);
    await expect(page.getByRole("heading", { level: 1, name: lesson.title })).toBeVisible();
    await watchAtDoubleSpeed(page);
    if (lesson.quiz) {
      await expect(page.getByTestId("lesson-complete")).toHaveCount(0); // watched, but the check is not passed yet
      await passQuiz(page, lesson.quiz);
    }
    await expect(page.getByTestId("lesson-complete")).toBeVisible();
    const next = LESSONS[index + 1];
    if (next)
      await page
        .getByRole("navigation", { name: "Bài trước và bài sau" })
        .getByRole("link", { name: next.title })
        .click();
  }
}

test("a learner watching at 2x completes a course and gets a certificate", async ({ page }) => {
  await signUp(page, "Học Viên Hai Lần", `x2-${Date.now()}@example.vn`);
  await completeCourse(page);

  await page.getByRole("link", { name: COURSE.title }).first().click();
  await expect(page).toHaveURL(`/courses/${COURSE.code}`);
  await expect(page.getByText(`Hoàn thành ${LESSONS.length}/${LESSONS.length} bài`)).toBeVisible();
  await expect(page.getByText(/Đã hoàn thành khóa học ngày/)).toBeVisible();
  await page.getByRole("link", { name: "Xem chứng nhận" }).click();
  await expect(page).toHaveURL(/\/certificates\/[A-Z2-7]{4}(-[A-Z2-7]{4}){3}$/);
  const certificate = page.getByRole("article", { name: "Chứng nhận hoàn thành khóa học" });
  await expect(certificate).toContainText("Học Viên Hai Lần");
  await expect(certificate).toContainText(COURSE.title);
  await expect(certificate).toContainText(page.url().split("/").pop()!);
});

/** The group's headcount and trained count on the national coordinator's dashboard, today. */
async function groupCoverage(page: Page) {
  await page.goto("/coverage");
  const row = page
    .getByRole("table", { name: /Số người, số đã đào tạo/ })
    .getByRole("row")
    .filter({ has: page.getByRole("rowheader", { name: GROUP, exact: true }) });
  const number = async (column: number) =>
    Number((await row.getByRole("cell").nth(column).textContent())!.replace(/\D/g, ""));
  return { headcount: await number(0), trained: await number(1) };
}

test("an account signed up with a roster person's email counts only once verified and confirmed", async ({
  page,
  browser,
  login,
}) => {
  const stamp = Date.now();
  const code = `TRUST-${stamp}`;
  const email = `tin-${stamp}@example.vn`;

  // A coordinator puts the person, with their email, on the roster.
  await login("dieuphoi@taphuan.vn");
  const before = await groupCoverage(page);
  await page.goto("/coverage/import");
  const roster = page.getByRole("region", { name: "Danh sách nhân sự" });
  await roster.getByLabel("Chọn tệp").setInputFiles({
    name: "trust.csv",
    mimeType: "text/csv",
    buffer: Buffer.from(`${ROSTER_HEAD}\n${code},Trần Thị Tín,${email},Báo Nhân Dân,Cần Thơ,PRESS_EXTERNAL,,,\n`),
  });
  await roster.getByRole("button", { name: "Nhập tệp" }).click();
  await expect(page.getByText("1 dòng: 1 thêm mới, 0 cập nhật, 0 không đổi, 0 dòng bị từ chối.")).toBeVisible();
  expect(await groupCoverage(page)).toEqual({ headcount: before.headcount + 1, trained: before.trained });
  await page.goto(`/coverage/roster?q=${code}`);
  await page.getByRole("link", { name: code }).click();
  await page.waitForURL(/\/coverage\/roster\/\w+$/);
  const personPage = new URL(page.url()).pathname;

  // Someone signs up with that address (nothing proves it is theirs) and finishes a course.
  const learner = await newPage(browser);
  await signUp(learner, "Trần Thị Tín", email);
  await learner.goto("/my-learning");
  await expect(learner.getByRole("heading", { level: 1, name: "Việc học của tôi" })).toBeVisible();
  await expect(learner.getByRole("region", { name: "Đây có phải là bạn?" })).toHaveCount(0);
  await completeCourse(learner);
  await learner.goto(`/courses/${COURSE.code}`);
  await expect(learner.getByRole("link", { name: "Xem chứng nhận" })).toBeVisible();

  // The roster does not know: not linked, not trained, the figures as they were.
  await page.goto(personPage);
  await expect(page.getByText("Chưa liên kết với tài khoản học nào.")).toBeVisible();
  await expect(page.getByText("Chưa có lần đào tạo nào được ghi nhận.")).toBeVisible();
  await expect(page.getByRole("row", { name: GROUP }).getByText("Chưa đào tạo")).toBeVisible();
  expect(await groupCoverage(page)).toEqual({ headcount: before.headcount + 1, trained: before.trained });
  await learner.goto("/my-learning");
  await expect(learner.getByRole("region", { name: "Đây có phải là bạn?" })).toHaveCount(0);

  // The address is proven through the link in the verification email (stored in the outbox: no SMTP here)…
  const admin = await newPage(browser);
  await login("quantri@taphuan.vn", admin);
  await admin.goto(`/admin/outbox?q=${encodeURIComponent(email)}`);
  const mail = await admin.locator(".email-text").first().textContent();
  const verify = mail!.match(/\/verify-email\/[a-z2-7]{32}(\?next=\S+)?/)![0];
  await learner.goto(verify);
  // Opened by the account it verifies: on to where sign-up started.
  await learner.waitForURL((url) => !url.pathname.startsWith("/verify-email"));
  await admin.close();

  // …and the learner confirms the roster entry that carries it.
  await learner.goto("/my-learning");
  const match = learner.getByRole("region", { name: "Đây có phải là bạn?" });
  await expect(match).toContainText("Trần Thị Tín");
  await match.getByRole("button", { name: "Đây là tôi" }).click();
  await expect(learner.getByText(/Tài khoản của bạn đã được liên kết\./)).toBeVisible();
  await learner.close();

  // Now the course finished before the link counts, once, and the figure moves by one.
  await page.goto(personPage);
  await expect(page.getByText(`Đã liên kết với tài khoản ${email}.`)).toBeVisible();
  const records = page.getByRole("table", { name: "Các khóa học, sự kiện đã hoàn thành" });
  await expect(records.getByRole("row")).toHaveCount(2);
  await expect(
    records.getByRole("row", { name: new RegExp(`^${COURSE.code} .* Trực tuyến Hoàn thành khóa học trực tuyến`) }),
  ).toBeVisible();
  await expect(page.getByRole("row", { name: GROUP }).getByText("Đã đào tạo")).toBeVisible();
  expect(await groupCoverage(page)).toEqual({ headcount: before.headcount + 1, trained: before.trained + 1 });
});
