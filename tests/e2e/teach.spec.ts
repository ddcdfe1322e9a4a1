import { createHash } from "node:crypto";
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import Database from "better-sqlite3";
import { expect, test, type Page } from "./fixtures";
import { blockOutsideRequests } from "./helpers";
import { E2E_DATA_DIR } from "./server-data";

// A trainer builds and publishes a course; a learner finds it and plays it
// with the slides following the video. A 5:01 video is refused and leaves
// nothing behind. Runs against `npm start` on the throwaway database that
// playwright.config.ts sets up (data/e2e).

const FIXTURES = path.resolve("tests/fixtures");
const MEDIA_DIR = path.resolve(E2E_DATA_DIR, "media");
const DB_FILE = path.resolve(E2E_DATA_DIR, "e2e.db");

test.beforeEach(async ({ page }) => {
  await blockOutsideRequests(page);
});

async function logout(page: Page) {
  await page.getByRole("button", { name: "Đăng xuất" }).click();
  await expect(page.getByRole("link", { name: "Đăng nhập" })).toBeVisible();
}

async function createCourseInEditor(page: Page, title: string) {
  await page.goto("/teach");
  await page.getByRole("link", { name: "Khóa học mới" }).click();
  await page.getByLabel("Công ước").selectOption("CRC");
  await page.getByLabel("Tên khóa học").fill(title);
  await page.getByLabel("Tóm tắt", { exact: true }).fill("Khóa học ngắn về quyền trẻ em cho cán bộ truyền thông.");
  await page.getByRole("button", { name: "Tạo bản nháp" }).click();
  await expect(page.getByRole("heading", { level: 1, name: title })).toBeVisible();
}

async function addLesson(page: Page, title: string) {
  await page.getByLabel("Tên bài học").fill(title);
  await page.getByRole("button", { name: "Thêm bài học" }).click();
  await page.getByRole("region", { name: "Bài học" }).getByRole("link", { name: title }).click();
  await expect(page.getByRole("heading", { level: 1, name: title })).toBeVisible();
}

/** Plays the lesson video muted and fast, and waits until it is past `seconds`. */
async function playUntil(page: Page, seconds: number) {
  const player = page.locator("mux-player");
  await expect(player).toBeVisible();
  await player.evaluate((el: HTMLMediaElement) => {
    el.muted = true;
    el.playbackRate = 2;
    void el.play();
  });
  await expect
    .poll(() => player.evaluate((el: HTMLMediaElement) => el.currentTime), { timeout: 30_000 })
    .toBeGreaterThan(seconds);
}

function mediaFiles(): string[] {
  try {
    return readdirSync(MEDIA_DIR, { recursive: true, withFileTypes: true })
      .filter((entry) => entry.isFile())
      .map((entry) => path.relative(MEDIA_DIR, path.join(entry.parentPath, entry.name)));
  } catch {
    return [];
  }
}

test("a trainer publishes a lesson with video, PDF slides, captions and cue times; a learner plays it", async ({
  page,
  context,
  login,
}) => {
  const title = `Quyền trẻ em trong truyền thông ${Date.now()}`;
  await login("giangvien@taphuan.vn");
  await createCourseInEditor(page, title);
  await expect(page.getByTestId("publish-issues")).toContainText("khóa học chưa có bài học nào");
  await addLesson(page, "Công ước về quyền trẻ em là gì?");

  // Upload over a slow link so the progress bar and time left show.
  const cdp = await context.newCDPSession(page);
  await cdp.send("Network.enable");
  await cdp.send("Network.emulateNetworkConditions", {
    offline: false,
    latency: 20,
    downloadThroughput: -1,
    uploadThroughput: 256 * 1024,
  });
  await page.getByLabel("Chọn tệp video").setInputFiles(path.join(FIXTURES, "lesson-3m30.mp4"));
  const progress = page.getByRole("progressbar");
  await expect(progress).toBeVisible();
  await expect(page.getByText(/Đã tải lên \d+%, còn khoảng \d+:\d\d/)).toBeVisible();
  await expect(page.getByText("Đã tải lên và lưu “lesson-3m30.mp4”.")).toBeVisible({ timeout: 60_000 });
  await cdp.send("Network.emulateNetworkConditions", {
    offline: false,
    latency: 0,
    downloadThroughput: -1,
    uploadThroughput: -1,
  });
  await expect(page.getByTestId("current-video")).toContainText("3:30");

  await page.getByLabel("Chọn tệp PDF của slide").setInputFiles(path.join(FIXTURES, "slides-3.pdf"));
  await expect(page.getByTestId("current-slides")).toContainText("Slide PDF: 3 trang");

  await page.getByLabel("Tệp WebVTT (.vtt)").setInputFiles(path.join(FIXTURES, "captions.vi.vtt"));
  await page.getByRole("button", { name: "Tải phụ đề lên" }).click();
  await expect(page.getByText("Đã lưu phụ đề (3 câu).")).toBeVisible();

  // Record two cue times in the preview while the video plays.
  await page.getByRole("link", { name: "Ghi mốc thời gian ở trang xem trước" }).click();
  await expect(page.getByRole("note")).toContainText("Xem trước");
  await playUntil(page, 4);
  await page.getByRole("button", { name: "Chuyển slide tại đây (slide 2)" }).click();
  await expect(page.getByText("Slide 2/3").first()).toBeVisible();
  await playUntil(page, 9);
  await page.getByRole("button", { name: "Chuyển slide tại đây (slide 3)" }).click();
  await expect(page.getByText("Slide 3/3").first()).toBeVisible();
  await page.getByRole("button", { name: "Lưu mốc thời gian" }).click();
  await expect(page.getByText("Đã lưu mốc thời gian.")).toBeVisible();
  const cues = await page
    .getByRole("textbox", { name: /Thời điểm bắt đầu slide/ })
    .evaluateAll((inputs) => inputs.map((i) => (i as HTMLInputElement).value));
  expect(cues[0]).toBe("0:00");
  const toSeconds = (value: string) => Number(value.split(":")[0]) * 60 + Number(value.split(":")[1]);
  const [second, third] = [toSeconds(cues[1]!), toSeconds(cues[2]!)];
  expect(second).toBeGreaterThan(3);
  expect(third).toBeGreaterThan(second);

  // Publish.
  await page.getByRole("link", { name: "Quay lại chỉnh sửa" }).click();
  await expect(page.getByTestId("publish-ready")).toBeVisible();
  await page.getByRole("button", { name: "Xuất bản", exact: true }).click();
  await expect(page.getByText("Khóa học đã được xuất bản")).toBeVisible();
  await logout(page);

  // A learner finds it under its convention and plays it; the slides follow the video.
  await login("hocvien@taphuan.vn");
  await page.goto("/");
  await page.locator("#crc").getByRole("link", { name: title }).click();
  await page.getByRole("button", { name: "Ghi danh khóa học" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Công ước về quyền trẻ em là gì?" })).toBeVisible();
  await expect(page.locator(".pdf-page[data-state=ready]")).toBeVisible();
  await expect(page.locator(".slide-count")).toHaveText("Slide 1/3");
  await playUntil(page, second + 0.5);
  await expect(page.locator(".slide-count")).toHaveText(/Slide [23]\/3/);
  await playUntil(page, third + 0.5);
  await expect(page.locator(".slide-count")).toHaveText("Slide 3/3");
  await expect(page.locator(".pdf-page[data-state=ready]")).toHaveAttribute("data-page", "3");
});

test("a 5:01 video is refused with the measured length, and nothing is stored", async ({ page, login }) => {
  await login("giangvien@taphuan.vn");
  await createCourseInEditor(page, `Khóa học thử độ dài ${Date.now()}`);
  await addLesson(page, "Bài quá dài");
  const lessonId = page.url().split("/").pop()!;
  const before = mediaFiles();

  await page.getByLabel("Chọn tệp video").setInputFiles(path.join(FIXTURES, "lesson-5m01.mp4"));
  await expect(page.getByTestId("upload-refused")).toHaveText("Video này dài 5:01; bài học phải dài từ 3 đến 5 phút.");
  await expect(page.getByText("Chưa có video.")).toBeVisible();

  // Nothing on disk: no new file, no temporary file, and not the refused bytes under any name.
  const refusedHash = createHash("sha256")
    .update(readFileSync(path.join(FIXTURES, "lesson-5m01.mp4")))
    .digest("hex");
  expect(mediaFiles()).toEqual(before);
  expect(mediaFiles().filter((f) => f.startsWith("tmp"))).toEqual([]);
  expect(mediaFiles().some((f) => f.includes(refusedHash))).toBe(false);
  // Nothing in the database.
  const db = new Database(DB_FILE, { readonly: true });
  try {
    expect(db.prepare(`SELECT COUNT(*) AS n FROM "MediaUpload"`).get()).toEqual({ n: 0 });
    expect(
      db
        .prepare(`SELECT COUNT(*) AS n FROM "MediaAsset" WHERE "sha256" = ? OR "originalName" = ?`)
        .get(refusedHash, "lesson-5m01.mp4"),
    ).toEqual({ n: 0 });
    expect(db.prepare(`SELECT "videoAssetId", "durationSeconds" FROM "Lesson" WHERE "id" = ?`).get(lessonId)).toEqual({
      videoAssetId: null,
      durationSeconds: null,
    });
  } finally {
    db.close();
  }
});

test("an upload survives dropped connections: chunks are retried, and Resume sends only the rest", async ({
  page,
  login,
}) => {
  await login("giangvien@taphuan.vn");
  await createCourseInEditor(page, `Khóa học mạng chập chờn ${Date.now()}`);
  await addLesson(page, "Bài tải lên lại");

  // The test server takes 256 KB chunks: the 3:30 file goes up in 3 requests.
  // The 2nd request is cut once (retried by itself); then every request is cut
  // until the uploader gives up, and Resume asks the server where to go on.
  const ranges: string[] = [];
  let cutFrom = Number.POSITIVE_INFINITY;
  await page.route(/\/api\/uploads\/[a-z0-9]+/, async (route) => {
    const request = route.request();
    if (request.method() !== "PUT") return route.fallback();
    const range = request.headers()["content-range"] ?? "";
    ranges.push(`${request.url().includes("offset=") ? "resumed " : ""}${range}`);
    if (ranges.length === 2 || ranges.length >= cutFrom) return route.abort("connectionreset");
    if (ranges.length === 3) cutFrom = 4; // chunk 2 arrived on its retry; cut everything after it
    return route.fallback();
  });
  await page.getByLabel("Chọn tệp video").setInputFiles(path.join(FIXTURES, "lesson-3m30.mp4"));
  await expect(page.getByText(/Việc tải lên dừng ở \d+%/)).toBeVisible({ timeout: 60_000 });
  cutFrom = Number.POSITIVE_INFINITY;
  await page.getByRole("button", { name: "Tiếp tục tải lên" }).click();
  await expect(page.getByText("Đã tải lên và lưu “lesson-3m30.mp4”.")).toBeVisible({ timeout: 30_000 });
  await expect(page.getByTestId("current-video")).toContainText("3:30");

  const size = readFileSync(path.join(FIXTURES, "lesson-3m30.mp4")).length;
  const chunk = 256 * 1024;
  expect(ranges.slice(0, 3)).toEqual([
    `bytes 0-${chunk - 1}/${size}`,
    `bytes ${chunk}-${2 * chunk - 1}/${size}`,
    `bytes ${chunk}-${2 * chunk - 1}/${size}`,
  ]);
  // Resumed from what the server had (2 chunks), numbering from the offset.
  expect(ranges.at(-1)).toBe(`resumed bytes 0-${size - 2 * chunk - 1}/${size - 2 * chunk}`);
  const stored = createHash("sha256")
    .update(readFileSync(path.join(FIXTURES, "lesson-3m30.mp4")))
    .digest("hex");
  const db = new Database(DB_FILE, { readonly: true });
  try {
    expect(db.prepare(`SELECT COUNT(*) AS n FROM "MediaAsset" WHERE "sha256" = ?`).get(stored)).toEqual({ n: 1 });
  } finally {
    db.close();
  }
});

test("people who do not own a course get a 403, from the pages and from the upload API", async ({ page, login }) => {
  await login("giangvien@taphuan.vn");
  await createCourseInEditor(page, `Khóa học riêng ${Date.now()}`);
  const editorUrl = new URL(page.url()).pathname;
  const courseId = editorUrl.split("/").pop()!;
  await logout(page);

  await login("hocvien@taphuan.vn");
  const response = await page.goto(editorUrl);
  expect(response?.status()).toBe(403);
  await expect(page.getByText("403")).toBeVisible();
  expect((await page.goto("/teach"))?.status()).toBe(403);
  const api = await page.request.post("/api/uploads", {
    data: { purpose: "COURSE_COVER", courseId, fileName: "x.png", sizeBytes: 10 },
  });
  expect(api.status()).toBe(403);
  // Drafts stay out of the catalog.
  await page.goto("/");
  await expect(page.getByText("Khóa học riêng")).toHaveCount(0);
});
