import { expect, test, type Page } from "@playwright/test";
import { blockOutsideRequests } from "./helpers";

// Issue 9: a body no form can be read from is the client's mistake. The
// browser gets a 400 (413 when too large) page in the visitor's language from
// the root ErrorBoundary, never "something went wrong" and never a stack.

test.beforeEach(async ({ page }) => {
  await blockOutsideRequests(page);
});

/** Submits, from the sign-in page, a form the browser encodes as text/plain: no server reads that as a form. */
async function submitPlainTextForm(page: Page) {
  await page.goto("/login");
  const response = page.waitForResponse(
    (r) => r.request().method() === "POST" && new URL(r.url()).pathname === "/login",
  );
  await page.evaluate(() => {
    const form = document.createElement("form");
    form.method = "post";
    form.action = "/login";
    form.enctype = "text/plain";
    const field = document.createElement("input");
    field.name = "email";
    field.value = "a@example.vn";
    form.append(field);
    document.body.append(form);
    // Not requestSubmit(): the app's own handlers must not turn it into a fetch.
    HTMLFormElement.prototype.submit.call(form);
  });
  return response;
}

test("a form posted as text/plain gets a 400 page in Vietnamese, without a stack", async ({ page }) => {
  const response = await submitPlainTextForm(page);
  expect(response.status()).toBe(400);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Yêu cầu không hợp lệ");
  await expect(page.getByRole("alert")).toContainText("400");
  await expect(page.getByText("Đã có lỗi xảy ra")).toHaveCount(0);
  expect(await page.content()).not.toMatch(/\n\s+at \S|node_modules|TypeError/);
});

test("the same in English for someone who chose English", async ({ page, baseURL }) => {
  await page.request.post("/language", {
    form: { lng: "en", redirectTo: "/" },
    headers: { Origin: baseURL! },
    maxRedirects: 0,
  });
  const response = await submitPlainTextForm(page);
  expect(response.status()).toBe(400);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Bad request");
});

test("a form over its size cap gets a 413 page, and a malformed percent-escape a 400", async ({ page, baseURL }) => {
  const headers = { Origin: baseURL!, "Content-Type": "application/x-www-form-urlencoded", Accept: "text/html" };
  const big = await page.request.post("/signup", { data: `name=${"x".repeat(100 * 1024)}`, headers });
  expect(big.status()).toBe(413);
  expect(await big.text()).toContain("Dữ liệu gửi lên quá lớn");
  const broken = await page.request.post("/signup", { data: "name=%E0%A4%A", headers });
  expect(broken.status()).toBe(400);
  const html = await broken.text();
  expect(html).toContain("Yêu cầu không hợp lệ");
  expect(html).not.toMatch(/\n\s+at \S|node_modules|URIError/);
});

// Issue 12: a URL that does not decode never reaches Remix; Express's last
// error handler answers with the app's own page, in the visitor's language.
test("a malformed URL gets the app's own 400 page with a way home, in Vietnamese and in English", async ({
  page,
  baseURL,
}) => {
  for (const path of ["/%E0%A4%A", "/courses/%"]) {
    const response = await page.goto(path);
    expect(response?.status(), path).toBe(400);
    await expect(page.getByRole("heading", { level: 1 })).toHaveText("Yêu cầu không hợp lệ");
    await expect(page.locator("html")).toHaveAttribute("lang", "vi");
    expect(await page.content()).not.toMatch(/URIError|\n\s+at \S|Bad Request/);
  }
  await page.getByRole("link", { name: "Về trang chủ" }).click();
  await expect(page).toHaveURL(`${baseURL}/`);

  await page.request.post("/language", {
    form: { lng: "en", redirectTo: "/" },
    headers: { Origin: baseURL! },
    maxRedirects: 0,
  });
  const response = await page.goto("/%E0%A4%A");
  expect(response?.status()).toBe(400);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Bad request");
  await expect(page.locator("html")).toHaveAttribute("lang", "en");
  await expect(page.getByRole("link", { name: "Back to the home page" })).toHaveAttribute("href", "/");
});

test("an unknown page is a translated 404 with a way home", async ({ page }) => {
  const response = await page.goto("/khong-co-trang-nay");
  expect(response?.status()).toBe(404);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Không tìm thấy trang");
  await expect(page.getByRole("link", { name: "Về trang chủ" })).toBeVisible();
});
