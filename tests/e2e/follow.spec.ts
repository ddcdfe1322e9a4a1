import { randomUUID } from "node:crypto";
import AxeBuilder from "@axe-core/playwright";
import { expect, test, type Page } from "./fixtures";
import { blockOutsideRequests } from "./helpers";

// Slides follow the video, and say so: paging by hand shows "paged by hand",
// F (or the "Follow the video" button) brings back the video's slide, and a
// slide longer than the panel scrolls instead of being cut off.

const LONG_LINES = 40;

test.beforeEach(async ({ page }) => {
  await blockOutsideRequests(page);
});

/** A published course whose one lesson has the short e2e video and three cued slides, the second one long. */
async function courseWithLongSlide(db: (typeof import("~/utils/db.server"))["db"]) {
  const source = await db.lesson.findFirstOrThrow({
    where: { course: { code: "e2e-khoa-ngan" }, position: 0 },
    select: { videoAssetId: true, durationSeconds: true, course: { select: { conventionId: true } } },
  });
  const long = Array.from(
    { length: LONG_LINES },
    (_, i) => `- Dòng ${i + 1}: quyền không bị tra tấn là quyền tuyệt đối`,
  ).join("\n");
  const code = `e2e-follow-${randomUUID().slice(0, 8)}`;
  await db.course.create({
    data: {
      code,
      conventionId: source.course.conventionId,
      language: "vi",
      title: "Khóa học slide dài",
      summary: "Kiểm thử slide theo video.",
      status: "PUBLISHED",
      publishedAt: new Date(),
      lessons: {
        create: {
          slug: "bai-slide",
          position: 0,
          title: "Bài có slide dài",
          language: "vi",
          videoAssetId: source.videoAssetId,
          durationSeconds: source.durationSeconds,
          slidesKind: "MARKDOWN",
          slidesMarkdown: `# Slide một\n\n- Mở đầu\n\n---\n\n# Slide hai, rất dài\n\n${long}\n\n---\n\n# Slide ba\n\n- Kết thúc`,
          slideCues: JSON.stringify([0, 6, 12]),
        },
      },
    },
  });
  return code;
}

const state = (page: Page) => page.locator(".slides").getByRole("status");
const followButton = (page: Page) => page.locator(".slides").getByRole("button", { name: "Theo video" });
const player = (page: Page) => page.locator("mux-player");

async function seek(page: Page, seconds: number) {
  await player(page).evaluate((el: HTMLMediaElement, at) => {
    el.pause();
    el.currentTime = at;
  }, seconds);
}

test("paging by hand shows it, F returns to the video's slide, and a long slide scrolls", async ({
  page,
  login,
  app,
}) => {
  const code = await courseWithLongSlide(app.db);
  const learner = await login();
  const course = await app.db.course.findUniqueOrThrow({ where: { code }, select: { id: true } });
  await app.db.enrolment.create({ data: { userId: learner.id, courseId: course.id } });
  await page.goto(`/courses/${code}/bai-slide`);
  await expect(player(page)).toBeVisible();
  await expect.poll(() => player(page).evaluate((el: HTMLMediaElement) => el.readyState)).toBeGreaterThan(0);

  // Following: the state is said, the toggle is pressed, the slide is the video's.
  await expect(state(page)).toHaveText("Slide đang chạy theo video.");
  await expect(followButton(page)).toHaveAttribute("aria-pressed", "true");
  await seek(page, 13);
  await expect(page.getByRole("group", { name: "Slide 3/3" })).toBeVisible();

  // Paging by hand stops following, visibly; the video moving on does not page.
  const deck = page.getByRole("group", { name: "Slide 3/3" });
  await deck.focus();
  await page.keyboard.press("ArrowLeft");
  const long = page.getByRole("group", { name: "Slide 2/3" });
  await expect(long).toBeVisible();
  await expect(state(page)).toHaveText(/^Đã lật slide bằng tay/);
  await expect(followButton(page)).toHaveAttribute("aria-pressed", "false");
  await seek(page, 1);
  await expect(long).toBeVisible();

  // The long slide keeps all its text: the panel scrolls with the keyboard.
  await expect(long).toBeFocused();
  const lastLine = long.getByText(`Dòng ${LONG_LINES}:`);
  await expect(lastLine).toBeAttached();
  const overflow = await long.evaluate((el) => ({
    scroll: el.scrollHeight,
    client: el.clientHeight,
    overflowY: getComputedStyle(el).overflowY,
  }));
  expect(overflow.scroll).toBeGreaterThan(overflow.client);
  expect(overflow.overflowY).toBe("auto");
  await expect(lastLine).not.toBeInViewport();
  for (let i = 0; i < LONG_LINES; i++) await page.keyboard.press("ArrowDown");
  await expect.poll(() => long.evaluate((el) => el.scrollTop)).toBeGreaterThan(0);
  await expect(lastLine).toBeInViewport();

  // One key: F brings the video's slide back (slide 1 at 1 s) and follows again.
  await page.keyboard.press("f");
  await expect(page.getByRole("group", { name: "Slide 1/3" })).toBeVisible();
  await expect(state(page)).toHaveText("Slide đang chạy theo video.");
  await expect(followButton(page)).toHaveAttribute("aria-pressed", "true");
  await seek(page, 7);
  await expect(page.getByRole("group", { name: "Slide 2/3" })).toBeVisible();
  // A new slide starts at its top.
  await expect.poll(() => page.getByRole("group", { name: "Slide 2/3" }).evaluate((el) => el.scrollTop)).toBe(0);

  // One click: the toggle turns following off, and on again at the video's slide.
  await followButton(page).click();
  await expect(followButton(page)).toHaveAttribute("aria-pressed", "false");
  await page
    .locator(".slide-controls")
    .getByRole("button", { name: /Slide sau/ })
    .click();
  await expect(page.getByRole("group", { name: "Slide 3/3" })).toBeVisible();
  await followButton(page).click();
  await expect(page.getByRole("group", { name: "Slide 2/3" })).toBeVisible();
  await expect(followButton(page)).toHaveAttribute("aria-pressed", "true");

  // Both states pass axe, at desktop size and on a phone.
  const violations = async () =>
    (
      await new AxeBuilder({ page }).include(".slides").withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]).analyze()
    ).violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`);
  expect(await violations()).toEqual([]);
  await page.getByRole("group", { name: "Slide 2/3" }).press("ArrowLeft");
  await expect(state(page)).toHaveText(/^Đã lật slide bằng tay/);
  expect(await violations()).toEqual([]);

  await page.setViewportSize({ width: 390, height: 844 });
  const phoneDeck = page.getByRole("group", { name: "Slide 1/3" });
  await expect(phoneDeck).toBeVisible();
  const box = (await phoneDeck.boundingBox())!;
  expect(box.x).toBeGreaterThanOrEqual(0);
  expect(box.x + box.width).toBeLessThanOrEqual(390);
  const tap = (await followButton(page).boundingBox())!;
  expect(tap.height).toBeGreaterThanOrEqual(24);
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
  await page.locator(".slides").screenshot({ path: "test-results/follow-paged-phone.png" });
  expect(await violations()).toEqual([]);
  await phoneDeck.press("F");
  await expect(followButton(page)).toHaveAttribute("aria-pressed", "true");
  expect(await violations()).toEqual([]);
});

test("the page in English says the same", async ({ page, login, app }) => {
  const code = await courseWithLongSlide(app.db);
  const learner = await login();
  const course = await app.db.course.findUniqueOrThrow({ where: { code }, select: { id: true } });
  await app.db.enrolment.create({ data: { userId: learner.id, courseId: course.id } });
  await page.goto(`/courses/${code}/bai-slide?lng=en`);
  // The status is in the server's HTML; a key pressed before hydration would reach no handler.
  await expect.poll(() => player(page).evaluate((el: HTMLMediaElement) => el.readyState)).toBeGreaterThan(0);
  await expect(page.locator(".slides").getByRole("status")).toHaveText("The slides are following the video.");
  await page.getByRole("group", { name: "Slide 1 of 3" }).press("ArrowRight");
  await expect(page.locator(".slides").getByRole("status")).toHaveText(/^Paged by hand/);
  await expect(page.locator(".slides").getByRole("button", { name: "Follow the video" })).toHaveAttribute(
    "aria-pressed",
    "false",
  );
});
