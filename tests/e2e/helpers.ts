import { expect, type Page } from "@playwright/test";

export const DEMO_PASSWORD = "taphuan-demo-2026";

/** Offline machines: nothing may leave localhost (Mux Player asks Google for a cast script). */
export async function blockOutsideRequests(page: Page) {
  await page.route(/^https?:\/\/(?!localhost[:/]|127\.0\.0\.1[:/])/, (route) => route.abort());
}

/** Signs in through the real login form with a demo account. */
export async function login(page: Page, email: string, password = DEMO_PASSWORD) {
  await page.goto("/login");
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Mật khẩu").fill(password);
  await page.getByRole("button", { name: "Đăng nhập" }).click();
  await expect(page.getByRole("button", { name: "Đăng xuất" })).toBeVisible();
}

/** Creates an account through the real sign-up form; the new account is signed in. */
export async function signUp(page: Page, name: string, email: string, password = "mat-khau-e2e-123") {
  await page.goto("/signup");
  await page.getByLabel("Họ và tên").fill(name);
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Mật khẩu", { exact: true }).fill(password);
  await page.getByLabel("Nhập lại mật khẩu").fill(password);
  await page.getByRole("button", { name: "Đăng ký" }).click();
  await expect(page.getByRole("button", { name: "Đăng xuất" })).toBeVisible();
}
