import { gunzipSync } from "node:zlib";
import { expect, test } from "./fixtures";
import { blockOutsideRequests } from "./helpers";

// Issue 10: a certificate anyone can verify, and an admin revokes. The
// completion is written straight into the e2e database (earning one through
// the player is trust.spec's subject); everything after that goes through the
// browser and HTTP, as a verifier would.

const CODE = "VERI-FYME-E2EE-TEST";
const REASON = "Bài kiểm tra do người khác làm thay";

test.beforeAll(async () => {
  process.env.DATABASE_URL = "file:./data/e2e/e2e.db";
  const { db } = await import("~/utils/db.server");
  const learner = await db.user.upsert({
    where: { email: "chung-nhan-e2e@example.vn" },
    create: {
      email: "chung-nhan-e2e@example.vn",
      name: "Người Được Cấp",
      passwordHash: "x",
      emailVerifiedAt: new Date(),
    },
    update: {},
  });
  const course = await db.course.findUniqueOrThrow({ where: { code: "e2e-khoa-ngan" } });
  await db.courseCompletion.upsert({
    where: { certificateCode: CODE },
    create: {
      userId: learner.id,
      courseId: course.id,
      certificateCode: CODE,
      completedAt: new Date("2026-05-04T02:00:00Z"),
    },
    update: {},
  });
  await db.$disconnect();
});

test.beforeEach(async ({ page }) => {
  await blockOutsideRequests(page);
});

async function revokedBit(
  request: import("@playwright/test").APIRequestContext,
  status: { statusListCredential: string; statusListIndex: string },
) {
  const list = await (await request.get(new URL(status.statusListCredential).pathname)).json();
  const bits = gunzipSync(Buffer.from(list.credential.credentialSubject.encodedList.slice(1), "base64url"));
  const index = Number(status.statusListIndex);
  return ((bits[index >> 3]! >> (7 - (index & 7))) & 1) === 1;
}

test("anyone verifies a certificate without an account; an admin revokes it and the page, the credential and the status list say so", async ({
  page,
  browser,
  request,
  login,
}) => {
  await page.goto(`/certificates/${CODE}`);
  await expect(page.getByRole("heading", { level: 1, name: "Xác minh chứng nhận" })).toBeVisible();
  await expect(page.getByRole("status").filter({ hasText: "Chứng nhận hợp lệ" })).toBeVisible();
  await expect(page.locator("dl.certificate-facts")).toContainText("Người Được Cấp");
  await expect(page.locator("dl.certificate-facts")).toContainText("Khóa học ngắn dùng cho kiểm thử");
  await expect(page.locator("dl.certificate-facts")).not.toContainText("example.vn");
  await expect(page.locator('meta[name="robots"]')).toHaveAttribute("content", "noindex");
  await expect(page.getByRole("heading", { name: "Thu hồi chứng nhận" })).toHaveCount(0);
  await expect(page.getByRole("link", { name: "Tải bản PDF" })).toHaveAttribute("href", `/certificates/${CODE}.pdf`);

  const issued = await (await request.get(`/certificates/${CODE}.json`)).json();
  expect(issued.revocation).toBeNull();
  expect(issued.credential.type).toContain("OpenBadgeCredential");
  expect(await revokedBit(request, issued.credential.credentialStatus)).toBe(false);
  const did = await (await request.get("/.well-known/did.json")).json();
  expect(did.id).toBe(issued.credential.issuer.id);

  // A learner is not offered the form, and a forged post is refused.
  await login("hocvien@taphuan.vn");
  await page.goto(`/certificates/${CODE}`);
  await expect(page.getByRole("heading", { name: "Thu hồi chứng nhận" })).toHaveCount(0);

  const admin = await browser.newPage({ locale: "vi-VN" });
  await blockOutsideRequests(admin);
  await login("quantri@taphuan.vn", admin);
  await admin.goto(`/certificates/${CODE}`);
  const form = admin.locator("form").filter({ has: admin.getByRole("button", { name: "Thu hồi chứng nhận" }) });
  await form.getByLabel(/Lý do/).fill(REASON);
  await form.getByRole("button", { name: "Thu hồi chứng nhận" }).click();
  await expect(admin.getByRole("status").filter({ hasText: "Đã thu hồi chứng nhận" })).toBeVisible();
  await expect(admin.getByRole("heading", { name: "Thu hồi chứng nhận" })).toHaveCount(0);
  await admin.close();

  const visitor = await browser.newPage({ locale: "en-GB" });
  await blockOutsideRequests(visitor);
  await visitor.goto(`/certificates/${CODE}?lng=en`);
  const banner = visitor.getByRole("status").filter({ hasText: "Certificate revoked" });
  await expect(banner).toBeVisible();
  await expect(banner).toContainText(`Reason: ${REASON}`);
  await expect(visitor.locator("article.certificate.revoked")).toBeVisible();
  await visitor.close();

  const after = await (await request.get(`/certificates/${CODE}.json`)).json();
  expect(after.revocation.reason).toBe(REASON);
  expect(after.jwt).toBe(issued.jwt);
  expect(await revokedBit(request, issued.credential.credentialStatus)).toBe(true);
});
