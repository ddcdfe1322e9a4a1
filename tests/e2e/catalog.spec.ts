import AxeBuilder from "@axe-core/playwright";
import { expect, test, type Page } from "@playwright/test";
import { blockOutsideRequests } from "./helpers";

// The catalog's search and filters: Vietnamese typed without marks, filters
// by keyboard, the query kept in a URL that survives a reload, and the same
// form working with JavaScript off.

test.beforeEach(async ({ page }) => {
  await blockOutsideRequests(page);
});

const searchBox = (page: Page) => page.getByRole("searchbox", { name: "Tìm khóa học" });
const count = (page: Page) => page.locator(".catalog-count");

test("the catalog page, kept rendered, runs its own scripts by hash and nothing else inline", async ({ page }) => {
  const violations: string[] = [];
  page.on("console", (message) => {
    if (/Content Security Policy/i.test(message.text())) violations.push(message.text());
  });
  for (let visit = 0; visit < 2; visit++) {
    const response = await page.goto("/");
    const csp = (await response!.headerValue("content-security-policy")) ?? "";
    const scriptSrc = csp.split("; ").find((d) => d.startsWith("script-src "));
    expect(scriptSrc).toMatch(/^script-src 'self'( 'sha256-[A-Za-z0-9+/]+=*')+$/);
    // Hydrated: the router runs, so every inline script was allowed.
    await page.waitForFunction(() => "__remixRouter" in window);
  }
  expect(violations).toEqual([]);
  // An inline script the page did not have when it was hashed is refused.
  await page.evaluate(() => {
    const script = document.createElement("script");
    script.textContent = "window.__injected = true";
    document.body.append(script);
  });
  expect(await page.evaluate(() => "__injected" in window)).toBe(false);
});

test("a search typed without marks finds the course, keeps focus and lives in the URL", async ({ page }) => {
  await page.goto("/");
  await expect(count(page)).toHaveText(/^\d+ khóa học$/);
  const box = searchBox(page);
  await box.click();
  await page.keyboard.type("quyen tre em");
  await expect(page).toHaveURL(/\?q=quyen\+tre\+em$/);
  await expect(box).toBeFocused();
  await expect(page.locator("section.convention")).toHaveCount(1);
  await expect(
    page.locator("section#crc").getByRole("link", { name: /Nhập môn Công ước của Liên hợp quốc về quyền trẻ em/ }),
  ).toBeVisible();
  // Other specs publish courses of their own: the count says as many as are shown, the intro among them.
  const shown = await page.locator("section.convention .course-card").count();
  expect(shown).toBeGreaterThanOrEqual(1);
  await expect(count(page)).toHaveText(`${shown} khóa học · Xóa bộ lọc`);

  // Typing on narrows it further without losing the caret.
  await page.keyboard.type(" xyzw");
  await expect(page).toHaveURL(/\?q=quyen\+tre\+em\+xyzw$/);
  await expect(box).toBeFocused();
  await expect(box).toHaveValue("quyen tre em xyzw");
  await expect(page.getByText("Không có khóa học nào khớp với tìm kiếm này.")).toBeVisible();
  await expect(count(page)).toHaveText(/^0 khóa học/);

  // "Clear filters" brings every convention back and empties the box.
  await page.getByRole("link", { name: "Xóa bộ lọc" }).click();
  await expect(page).toHaveURL(/\/$/);
  await expect(page.locator("section.convention")).toHaveCount(7);
  await expect(box).toHaveValue("");
});

test("filters are reached and used by keyboard, and a reload keeps them", async ({ page }) => {
  await page.goto("/");
  await searchBox(page).focus();
  await page.keyboard.press("Tab");
  const convention = page.getByRole("combobox", { name: "Công ước" });
  await expect(convention).toBeFocused();
  await expect(page.getByRole("group", { name: "Lọc khóa học" })).toContainText("Thời lượng");
  await page.keyboard.press("End"); // the last choice, CAT, without opening the list
  await expect(page).toHaveURL(/\?convention=CAT$/);
  await expect(page.locator("section.convention")).toHaveCount(1);
  await expect(page.locator("section#cat")).toBeVisible();

  await page.keyboard.press("Tab");
  await expect(page.getByRole("combobox", { name: "Ngôn ngữ" })).toBeFocused();
  await searchBox(page).fill("tra tan");
  await page.keyboard.press("Enter");
  await expect(page).toHaveURL(/\?q=tra\+tan&convention=CAT$|\?convention=CAT&q=tra\+tan$/);
  const found = await page.locator("section#cat .course-card").count();
  expect(found).toBeGreaterThan(0);

  await page.reload();
  await expect(searchBox(page)).toHaveValue("tra tan");
  await expect(convention).toHaveValue("CAT");
  await expect(page.locator("section.convention")).toHaveCount(1);
  await expect(page.locator("section#cat .course-card")).toHaveCount(found);

  // Back goes to the search before, and the fields follow it.
  await page.goBack();
  await expect(page).toHaveURL(/\?convention=CAT$/);
  await expect(searchBox(page)).toHaveValue("");
  await expect(convention).toHaveValue("CAT");
});

test("the search form and its results have no accessibility violations, on a phone too", async ({ page }) => {
  await page.setViewportSize({ width: 390, height: 844 });
  await page.goto("/?q=quyen&length=short");
  const results = await new AxeBuilder({ page }).include("main").analyze();
  expect(results.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`)).toEqual([]);
});

test("a bad value in a shared link is ignored with a note, not an error", async ({ page }) => {
  const response = await page.goto("/?convention=NOPE&length=forever&q=tra+tan");
  expect(response?.status()).toBe(200);
  await expect(page.getByText("Một số giá trị trong đường dẫn không hợp lệ nên đã được bỏ qua.")).toBeVisible();
  await expect(page.locator("section#cat")).toBeVisible();
  await expect(page.getByRole("combobox", { name: "Công ước" })).toHaveValue("");
});

test.describe("without JavaScript", () => {
  test.use({ javaScriptEnabled: false });

  test("the form still searches, through the URL", async ({ page }) => {
    await page.goto("/");
    await searchBox(page).fill("nguoi khuyet tat");
    await page.getByRole("button", { name: "Tìm", exact: true }).click();
    await expect(page).toHaveURL(/q=nguoi\+khuyet\+tat/);
    await expect(page.locator("section.convention")).toHaveCount(1);
    await expect(page.locator("section#crpd")).toBeVisible();
  });
});
