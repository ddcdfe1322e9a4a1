import { expect, type Page } from "@playwright/test";
import type { Quiz } from "~/learning/quiz";

export const DEMO_PASSWORD = "taphuan-demo-2026";

/** Offline machines: nothing may leave localhost (Mux Player asks Google for a cast script). */
export async function blockOutsideRequests(page: Page) {
  await page.route(/^https?:\/\/(?!localhost[:/]|127\.0\.0\.1[:/])/, (route) => route.abort());
}

/** Signs in through the real login form with a demo account. */
export async function loginThroughForm(page: Page, email: string, password = DEMO_PASSWORD) {
  await page.goto("/login");
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Mật khẩu").fill(password);
  await page.getByRole("button", { name: "Đăng nhập" }).click();
  await expect(page.getByRole("button", { name: "Đăng xuất" })).toBeVisible();
}

/**
 * Creates an account through the real sign-up form, then signs in with its
 * password: the address is not verified yet (the link waits in the outbox).
 */
export async function signUp(page: Page, name: string, email: string, password = "mat-khau-e2e-123") {
  await fillSignUp(page, name, email, password);
  await loginThroughForm(page, email, password);
}

/** The sign-up form; it answers the same for new and taken addresses. */
export async function fillSignUp(page: Page, name: string, email: string, password = "mat-khau-e2e-123") {
  await page.goto("/signup");
  await page.getByLabel("Họ và tên").fill(name);
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Mật khẩu", { exact: true }).fill(password);
  await page.getByLabel("Nhập lại mật khẩu").fill(password);
  await page.getByRole("button", { name: "Đăng ký" }).click();
  await expect(page.getByRole("heading", { name: "Kiểm tra email của anh/chị" })).toBeVisible();
}

/** Opens the newest sign-up link emailed to `email` (no SMTP in e2e runs: an admin reads the outbox in a browser page of its own). */
export async function openSignupLink(page: Page, email: string) {
  const admin = await page.context().browser()!.newPage();
  await blockOutsideRequests(admin);
  await loginThroughForm(admin, "quantri@taphuan.vn");
  await admin.goto(`/admin/outbox?q=${encodeURIComponent(email)}`);
  const mail = await admin.locator(".email-text").first().textContent();
  await admin.close();
  await page.goto(mail!.match(/\/verify-email\/[a-z2-7]{32}(\?next=\S+)?/)![0]);
}

/** Passes a knowledge check from its file: options are shuffled per attempt, so they are found by text. Returns the result line. */
export async function passQuiz(page: Page, quiz: Quiz) {
  const form = page.locator("section.quiz form");
  for (const question of quiz.questions) {
    const fieldset = form.locator("fieldset", { hasText: question.prompt });
    for (const option of question.options.filter((o) => o.correct)) {
      await fieldset.getByLabel(option.text, { exact: true }).check();
    }
  }
  await form.getByRole("button", { name: "Nộp bài" }).click();
  const result = page.getByRole("status").filter({ hasText: "Đạt" });
  await expect(result).toBeVisible();
  return result;
}
