import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { writeFileSync } from "node:fs";
import { expect, test, type Browser, type Page } from "@playwright/test";
import { OPS_DATA, OPS_ENV, OPS_SMTP_PORT } from "../../playwright.ops.config";
import { linkIn, startTestSmtp, type TestSmtp } from "../helpers/smtp";

// The README's "real installation" path, end to end: a fresh install with no
// demo accounts, email through a real SMTP server. The command line makes the
// first administrator; the admin invites a trainer and a Hà Nội coordinator;
// each sets a password from their email and lands on their own pages; the
// coordinator sees only Hà Nội; a forgotten password is reset by email and
// the old session stops working.

let smtp: TestSmtp;
test.beforeAll(async () => {
  smtp = await startTestSmtp({ port: OPS_SMTP_PORT });
});
test.afterAll(() => smtp?.close());

const PASSWORD = "mat-khau-that-dai-2026";

// Asynchronous: the SMTP server runs in this process and must answer the CLI.
async function cli(script: string, args: string[]): Promise<string> {
  const { stdout, stderr } = await promisify(execFile)("npx", ["tsx", script, ...args], {
    env: { ...process.env, ...OPS_ENV },
    encoding: "utf8",
  });
  return stdout + stderr;
}

async function setPasswordFrom(page: Page, link: string, password: string) {
  await page.goto(new URL(link).pathname);
  await page.getByLabel("Mật khẩu mới").fill(password);
  await page.getByLabel("Nhập lại mật khẩu").fill(password);
  await page.getByRole("button", { name: "Đặt mật khẩu" }).click();
}

async function newPage(browser: Browser): Promise<Page> {
  const context = await browser.newContext();
  return context.newPage();
}

test("the first admin comes from the command line, invites a trainer and a Hà Nội coordinator by email", async ({
  browser,
}) => {
  expect((await (await fetch(`${OPS_ENV.PUBLIC_URL}/healthz`)).json()) as { ok: boolean }).toMatchObject({ ok: true });

  // A roster in two provinces, loaded from the command line.
  const roster = `${OPS_DATA}/roster.csv`;
  writeFileSync(
    roster,
    "personnel_code,full_name,email,agency,province,target_groups,position,joined_on,left_on\n" +
      "HN-1,Nguyễn Thị Hà Nội,,Bộ Tư pháp,Hà Nội,HR_WORK,,,\n" +
      "DN-1,Trần Văn Đà Nẵng,,Bộ Tư pháp,Đà Nẵng,HR_WORK,,,\n",
  );
  // As the README says: the command bundled as it starts (scripts/cli.mjs), its parser worker compiled from the sources.
  const imported = await promisify(execFile)("npm", ["run", "--silent", "roster:import", "--", roster], {
    env: { ...process.env, ...OPS_ENV },
    encoding: "utf8",
  });
  expect(imported.stdout).toContain("2 dòng: 2 thêm mới");

  // 1. The command line creates the first administrator and emails the link.
  const out = await cli("scripts/user.ts", [
    "create",
    "--email",
    "quantri@bo.gov.vn",
    "--name",
    "Lê Quản Trị",
    "--role",
    "ADMIN",
  ]);
  const printed = out.match(/http:\/\/\S+\/set-password\/\S+/)?.[0];
  expect(printed).toBeTruthy();
  expect(out).not.toContain("NOT sent");
  const adminMail = await smtp.waitFor("quantri@bo.gov.vn");
  expect(linkIn(adminMail, "/set-password/")).toBe(printed);

  const admin = await newPage(browser);
  await setPasswordFrom(admin, printed!, PASSWORD);
  await expect(admin).toHaveURL(/\/admin\/users/);
  await expect(admin.getByRole("button", { name: "Đăng xuất" })).toBeVisible();

  // 2. The admin invites a trainer and a Hà Nội coordinator.
  const invite = async (email: string, name: string, role: string, province?: string) => {
    const form = admin.locator("form", { has: admin.getByRole("button", { name: "Gửi lời mời" }) });
    await form.getByLabel("Email").fill(email);
    await form.getByLabel("Họ và tên").fill(name);
    await form.getByLabel("Vai trò").selectOption({ label: role });
    if (province) await form.getByLabel(/Tỉnh\/thành phố/).selectOption({ label: province });
    await form.getByRole("button", { name: "Gửi lời mời" }).click();
    await expect(admin.getByRole("status").filter({ hasText: email })).toBeVisible();
  };
  await invite("giangvien@bo.gov.vn", "Phạm Giảng Viên", "Giảng viên");
  await invite("dieuphoi@hanoi.gov.vn", "Đỗ Điều Phối", "Điều phối viên", "Hà Nội");
  await expect(admin.getByRole("link", { name: /Đỗ Điều Phối|dieuphoi@hanoi.gov.vn/ }).first()).toBeVisible();

  // 3. Each receives the email, sets a password and lands on their own pages.
  const trainerMail = await smtp.waitFor("giangvien@bo.gov.vn");
  expect(trainerMail.subject).toContain("Tập huấn");
  const trainer = await newPage(browser);
  await setPasswordFrom(trainer, linkIn(trainerMail, "/set-password/"), PASSWORD);
  await expect(trainer).toHaveURL(/\/teach/);

  const coordinatorMail = await smtp.waitFor("dieuphoi@hanoi.gov.vn");
  const coordinator = await newPage(browser);
  await setPasswordFrom(coordinator, linkIn(coordinatorMail, "/set-password/"), PASSWORD);
  await expect(coordinator).toHaveURL(/\/coverage/);

  // 4. The coordinator sees only Hà Nội.
  await coordinator.goto("/coverage/roster");
  await expect(coordinator.getByText("Nguyễn Thị Hà Nội")).toBeVisible();
  await expect(coordinator.getByText("Trần Văn Đà Nẵng")).toHaveCount(0);
  await coordinator.goto("/coverage/follow-up");
  await expect(coordinator.getByText("Trần Văn Đà Nẵng")).toHaveCount(0);

  // A link works once.
  await trainer.goto(new URL(linkIn(trainerMail, "/set-password/")).pathname);
  await expect(trainer.getByText("Đường dẫn này đã được sử dụng.", { exact: false })).toBeVisible();

  // 5. Forgot password: the email's link sets a new password; the old session ends.
  const other = await newPage(browser);
  await other.goto("/login");
  await other.getByRole("link", { name: "Quên mật khẩu?" }).click();
  await expect(other.getByRole("heading", { name: "Quên mật khẩu" })).toBeVisible();
  await other.getByLabel("Email").fill("dieuphoi@hanoi.gov.vn");
  await other.getByRole("button", { name: "Gửi đường dẫn đặt lại mật khẩu" }).click();
  await expect(other.getByRole("status")).toBeVisible();
  const resetMail = await smtp.waitFor("dieuphoi@hanoi.gov.vn", /Đặt lại mật khẩu/);
  await other.goto(new URL(linkIn(resetMail, "/reset-password/")).pathname);
  await other.getByLabel("Mật khẩu mới").fill("mat-khau-moi-hon-2026");
  await other.getByLabel("Nhập lại mật khẩu").fill("mat-khau-moi-hon-2026");
  await other.getByRole("button", { name: "Lưu mật khẩu mới" }).click();
  await expect(other).toHaveURL(/\/coverage/);

  await coordinator.goto("/coverage");
  await expect(coordinator).toHaveURL(/\/login/);

  // 6. The admin sees what happened in the outbox.
  await admin.goto("/admin/outbox");
  await expect(admin.getByText("dieuphoi@hanoi.gov.vn").first()).toBeVisible();
  await expect(admin.getByRole("table").getByText("Đã gửi").first()).toBeVisible();
});
