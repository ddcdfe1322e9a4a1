import AxeBuilder from "@axe-core/playwright";
import { expect, test, type Page } from "./fixtures";
import { blockOutsideRequests } from "./helpers";

// Issue 12: a visitor plays a course's free preview without an account and is
// invited to enrol at the end; a signed-in learner who is not enrolled plays it
// too and enrols in one click; a non-preview lesson's media stays closed to
// visitors; a linked learner sees what their target groups require.

const COURSE = "iccpr-intro";

test.beforeEach(async ({ page }) => {
  await blockOutsideRequests(page);
});

async function noAxeViolations(page: Page) {
  const results = await new AxeBuilder({ page })
    .withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"])
    .include("main")
    .analyze();
  expect(results.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`)).toEqual([]);
}

test("a visitor plays the free preview, records nothing, and is invited to enrol at the end", async ({ page }) => {
  const progress: string[] = [];
  page.on("request", (request) => {
    if (request.url().endsWith("/api/progress")) progress.push(request.url());
  });
  await page.goto(`/courses/${COURSE}`);
  await expect(page.getByTestId("lesson-preview-badge")).toHaveCount(1);
  await page.getByTestId("watch-preview").click();
  await expect(page).toHaveURL(new RegExp(`/courses/${COURSE}/01-`));
  await expect(page.getByTestId("preview-badge")).toHaveText("Bài học thử miễn phí");
  await expect(page.getByTestId("preview-quiz")).toContainText("Đăng ký để làm bài kiểm tra");
  await expect(page.getByRole("radio")).toHaveCount(0);

  const player = page.locator("mux-player");
  await expect(player).toBeVisible();
  await expect.poll(() => player.evaluate((el: HTMLMediaElement) => el.textTracks?.length ?? 0)).toBeGreaterThan(0);
  await noAxeViolations(page);

  await player.evaluate((el: HTMLMediaElement) => {
    el.muted = true;
    el.currentTime = el.duration - 1.5;
    void el.play();
  });
  await expect.poll(() => player.evaluate((el: HTMLMediaElement) => el.ended), { timeout: 30_000 }).toBe(true);
  const invitation = page.getByTestId("preview-invitation");
  await expect(invitation).toBeFocused();
  await expect(invitation.getByRole("heading")).toHaveText("Bạn đã xem hết bài học thử");
  expect(progress).toEqual([]);
  await noAxeViolations(page);

  await page.setViewportSize({ width: 390, height: 844 });
  await noAxeViolations(page);

  await invitation.getByRole("link", { name: "Đăng ký để ghi danh" }).click();
  await expect(page).toHaveURL(`/signup?redirectTo=${encodeURIComponent(`/courses/${COURSE}`)}`);
});

test("a signed-in learner who is not enrolled plays the preview, records nothing, and enrols in one click", async ({
  page,
  login,
  app,
}) => {
  const progress: string[] = [];
  page.on("request", (request) => {
    if (request.url().endsWith("/api/progress")) progress.push(request.url());
  });
  const learner = await login();
  const lessons = await app.db.lesson.findMany({
    where: { course: { code: COURSE } },
    orderBy: { position: "asc" },
    select: { slug: true, isPreview: true },
  });
  const closed = lessons.find((l) => !l.isPreview)!;
  const enrolled = () => app.db.enrolment.count({ where: { userId: learner.id, course: { code: COURSE } } });

  // A lesson that is not a preview still waits behind enrolment.
  await page.goto(`/courses/${COURSE}/${closed.slug}`);
  await expect(page).toHaveURL(new RegExp(`/courses/${COURSE}$`));

  await page.getByTestId("watch-preview").click();
  await expect(page).toHaveURL(new RegExp(`/courses/${COURSE}/01-`));
  const lessonUrl = page.url();
  await expect(page.getByTestId("preview-badge")).toHaveText("Bài học thử miễn phí");
  await expect(page.getByText("Bạn đang xem thử khi chưa ghi danh khóa học")).toBeVisible();
  await expect(page.getByRole("radio")).toHaveCount(0);
  const invitation = page.getByTestId("preview-invitation");
  await expect(invitation.getByRole("link")).toHaveCount(0);
  await expect(page.getByTestId("preview-quiz").getByRole("link")).toHaveCount(0);

  const player = page.locator("mux-player");
  await expect(player).toBeVisible();
  await player.evaluate((el: HTMLMediaElement) => {
    el.muted = true;
    el.currentTime = el.duration - 1.5;
    void el.play();
  });
  await expect.poll(() => player.evaluate((el: HTMLMediaElement) => el.ended), { timeout: 30_000 }).toBe(true);
  await expect(invitation).toBeFocused();
  expect(progress).toEqual([]);
  expect(await app.db.lessonView.count({ where: { userId: learner.id } })).toBe(0);
  expect(await enrolled()).toBe(0);
  await noAxeViolations(page);

  await invitation.getByRole("button", { name: "Ghi danh khóa học" }).click();
  await expect(page.getByTestId("preview-badge")).toHaveCount(0);
  expect(page.url()).toBe(lessonUrl);
  await expect(page.getByRole("radio").first()).toBeVisible();
  expect(await enrolled()).toBe(1);
  await expect.poll(() => app.db.lessonView.count({ where: { userId: learner.id } })).toBe(1);
});

test("without an account, a lesson that is not a preview is neither shown nor its media served", async ({
  page,
  app,
}) => {
  const lessons = await app.db.lesson.findMany({
    where: { course: { code: COURSE } },
    orderBy: { position: "asc" },
    select: { slug: true, isPreview: true, videoAssetId: true, id: true, captions: { select: { language: true } } },
  });
  const preview = lessons.find((l) => l.isPreview)!;
  const closed = lessons.find((l) => !l.isPreview)!;
  expect(closed.videoAssetId).toBeTruthy();

  // The page asks to sign in; the media and captions answer 404 as if they did not exist.
  await page.goto(`/courses/${COURSE}/${closed.slug}`);
  await expect(page).toHaveURL(/\/login\?redirectTo=/);
  const visitor = page.request;
  expect((await visitor.get(`/media/${closed.videoAssetId}`)).status()).toBe(404);
  expect((await visitor.get(`/media/${closed.videoAssetId}`, { headers: { Range: "bytes=0-99" } })).status()).toBe(404);
  const language = closed.captions[0]?.language ?? "vi";
  expect((await visitor.get(`/lessons/${closed.id}/captions/${language}.vtt`)).status()).toBe(404);

  // The preview's own media is served to the same visitor.
  const open = await visitor.get(`/media/${preview.videoAssetId}`, { headers: { Range: "bytes=0-99" } });
  expect(open.status()).toBe(206);

  // A visitor's progress report is refused plainly, not with a server error.
  const report = await visitor.post("/api/progress", {
    data: { viewId: "x", lessonId: preview.id, intervals: [[0, 5]], position: 5 },
  });
  expect(report.status()).toBe(401);
});

test("a learner linked to a roster person sees what their groups require", async ({ page, login, app }) => {
  const person = await app.db.rosterPerson.findFirstOrThrow({
    where: { userId: null, memberships: { some: { leftOn: null } } },
    orderBy: { personnelCode: "asc" },
    select: { id: true, memberships: { where: { leftOn: null }, select: { group: { select: { code: true } } } } },
  });
  const user = await login();
  await app.db.rosterPerson.update({ where: { id: person.id }, data: { userId: user.id } });
  try {
    await page.goto("/my-learning");
    const section = page.getByTestId("requirements");
    await expect(section.getByRole("heading", { name: "Bạn cần học những gì?" })).toBeVisible();
    const group = section.getByTestId(`requirement-${person.memberships[0]!.group.code}`);
    await expect(group).toContainText("Yêu cầu:");
    await expect(group).toContainText("Hạn hoàn thành:");
    await expect(group.getByRole("progressbar")).toBeVisible();
    await noAxeViolations(page);
    await page.setViewportSize({ width: 390, height: 844 });
    await noAxeViolations(page);
  } finally {
    await app.db.rosterPerson.update({ where: { id: person.id }, data: { userId: null } });
  }
});
