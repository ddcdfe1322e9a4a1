import path from "node:path";
import { expect, test, type Page } from "@playwright/test";
import { playerChunk } from "../helpers/player-chunk";

// Uploads straight to "Mux" (the local stand-in) with UpChunk; the app learns
// of the asset from signed webhooks. Mux Player cannot stream the stand-in's
// playback ids, so playback is checked up to the playback id in the page.

const FIXTURES = path.resolve("tests/fixtures");

test.beforeEach(async ({ page }) => {
  await page.route(/^https?:\/\/(?!localhost|127\.0\.0\.1)/, (route) => route.abort());
});

async function lessonPage(page: Page, lesson: string): Promise<string> {
  await page.goto("/login");
  await page.getByLabel("Email").fill("giangvien@taphuan.vn");
  await page.getByLabel("Mật khẩu").fill("taphuan-demo-2026");
  await page.getByRole("button", { name: "Đăng nhập" }).click();
  await expect(page.getByRole("button", { name: "Đăng xuất" })).toBeVisible();
  await page.goto("/teach/courses/new");
  await page.getByLabel("Công ước").selectOption("CRPD");
  const course = `Quyền của người khuyết tật ${Date.now()}`;
  await page.getByLabel("Tên khóa học").fill(course);
  await page.getByLabel("Tóm tắt", { exact: true }).fill("Khóa học thử với Mux.");
  await page.getByRole("button", { name: "Tạo bản nháp" }).click();
  await page.getByLabel("Tên bài học").fill(lesson);
  await page.getByRole("button", { name: "Thêm bài học" }).click();
  await page.getByRole("region", { name: "Bài học" }).getByRole("link", { name: lesson }).click();
  await expect(page.getByRole("heading", { level: 1, name: lesson })).toBeVisible();
  return course;
}

test("a video uploaded to Mux becomes the lesson's video once Mux says it is ready", async ({ page }) => {
  const lesson = "Bài qua Mux";
  const course = await lessonPage(page, lesson);
  await expect(page.getByText("Tệp được gửi thẳng tới Mux")).toBeVisible();
  await page.getByLabel("Chọn tệp video").setInputFiles(path.join(FIXTURES, "lesson-3m30.mp4"));
  await expect(page.getByTestId("current-video")).toContainText("3:30", { timeout: 30_000 });
  await expect(page.getByTestId("current-video")).toContainText("Mux");

  // A demo lesson's video is stored here: its page loads the player without hls.js.
  const scripts: string[] = [];
  page.on("request", (request) => scripts.push(new URL(request.url()).pathname));
  await page.goto("/courses/iccpr-intro");
  await page.getByTestId("watch-preview").click();
  await expect(page.locator("mux-player")).toHaveAttribute("src", /^\/media\//);
  expect(scripts).toContain(playerChunk("local"));
  expect(scripts).not.toContain(playerChunk("mux"));

  // Then, without leaving the page, to the Mux lesson's preview: its stream needs hls.js,
  // and the elements are already defined without it, so the page is loaded afresh.
  await page.getByRole("link", { name: "Giảng dạy" }).click();
  await page.getByRole("link", { name: course }).click();
  await page.getByRole("region", { name: "Bài học" }).getByRole("link", { name: lesson }).click();
  await page.getByRole("link", { name: "Xem trước bài học" }).click();
  await expect(page.locator("mux-player")).toHaveAttribute("playback-id", /^pb[0-9a-f]+$/);
  await expect.poll(() => scripts.includes(playerChunk("mux"))).toBe(true);
});

test("a 5:01 video is refused after Mux measures it, with the same message", async ({ page }) => {
  const course = await lessonPage(page, "Bài quá dài qua Mux");
  await page.getByLabel("Chọn tệp video").setInputFiles(path.join(FIXTURES, "lesson-5m01.mp4"));
  await expect(
    page.getByRole("alert").filter({ hasText: "Video này dài 5:01; bài học phải dài từ 3 đến 5 phút." }).first(),
  ).toBeVisible({
    timeout: 30_000,
  });
  await page.getByRole("main").getByRole("link", { name: course }).click();
  await expect(page.getByTestId("publish-issues")).toContainText(
    "Video này dài 5:01; bài học phải dài từ 3 đến 5 phút.",
  );
});
