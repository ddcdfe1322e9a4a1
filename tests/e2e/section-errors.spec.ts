import { expect, test } from "./fixtures";
import { blockOutsideRequests } from "./helpers";

// An error inside a section keeps the section around it: a coordinator who
// follows a dead link to a person still has the coverage navigation, a
// trainer the way back to their courses.

test.beforeEach(async ({ page }) => {
  await blockOutsideRequests(page);
});

test("a 404 inside /coverage keeps the coverage navigation; a refused learner gets the plain error page", async ({
  page,
  browser,
  login,
}) => {
  await login("dieuphoi@taphuan.vn");
  const response = await page.goto("/coverage/roster/khong-co-nguoi-nay");
  expect(response?.status()).toBe(404);
  await expect(page.getByRole("alert").getByRole("heading", { name: "Không tìm thấy trang" })).toBeVisible();
  const subnav = page.getByRole("navigation", { name: "Các trang về độ bao phủ" });
  await expect(subnav.getByRole("link", { name: "Danh sách nhân sự" })).toBeVisible();
  await subnav.getByRole("link", { name: "Danh sách nhân sự" }).click();
  await expect(page).toHaveURL(/\/coverage\/roster$/);

  const learner = await browser.newPage();
  await blockOutsideRequests(learner);
  await login("hocvien@taphuan.vn", learner);
  expect((await learner.goto("/coverage"))?.status()).toBe(403);
  await expect(learner.getByRole("alert")).toBeVisible();
  await expect(learner.locator(".coverage-subnav")).toHaveCount(0);
  await learner.close();
});

test("a 404 inside /teach keeps the way back to the course list; a learner gets the plain 403", async ({
  page,
  browser,
  login,
}) => {
  await login("giangvien@taphuan.vn");
  const response = await page.goto("/teach/courses/cnosuchcourse00000000000/lessons/cnosuchlesson0000000000");
  expect(response?.status()).toBe(404);
  await expect(page.getByRole("alert").getByRole("heading", { name: "Không tìm thấy trang" })).toBeVisible();
  await page.getByRole("link", { name: "← Các khóa học của bạn" }).click();
  await expect(page).toHaveURL(/\/teach$/);
  await expect(page.getByRole("heading", { level: 1, name: "Giảng dạy" })).toBeVisible();

  const learner = await browser.newPage();
  await blockOutsideRequests(learner);
  await login("hocvien@taphuan.vn", learner);
  expect((await learner.goto("/teach"))?.status()).toBe(403);
  await expect(learner.getByRole("alert")).toBeVisible();
  await expect(learner.getByRole("link", { name: "← Các khóa học của bạn" })).toHaveCount(0);
  await learner.close();
});

test("tab titles follow the interface language", async ({ page, baseURL }) => {
  await page.goto("/login");
  await expect(page).toHaveTitle("Đăng nhập · Tập huấn");
  await page.request.post("/language", {
    form: { lng: "en", redirectTo: "/login" },
    headers: { Origin: baseURL! },
    maxRedirects: 0,
  });
  await page.goto("/login");
  await expect(page).toHaveTitle("Log in · Tập huấn");
});
